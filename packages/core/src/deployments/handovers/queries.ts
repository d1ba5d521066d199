import * as z from 'zod';
import type { Actor } from '../../model/environment-types.js';
import { Handover } from '../../model/handover.js';
import { parseInput } from '../../model/parse-input.js';
import { Slug } from '../../model/primitives.js';
import type { ProjectCard } from '../../model/project-card.js';
import type { EngineContext } from '../../runtime/context.js';
import { KIND, listAll } from '../../runtime/records.js';
import { handoverId, readHandover } from './read-handover.js';

/** Which handover: a project in an environment. @hidden */
export const HandoverRef = z.object({ environment: Slug, project: Slug }).strict();
/** Which handover: a project in an environment. */
export type HandoverRef = z.input<typeof HandoverRef>;

/**
 * One step of a handover's history, from the journal: who accepted which card (and the card they
 * were shown), or who withdrew it and why.
 *
 * @example
 * ```ts
 * for (const step of await railyard.handovers.history({ environment: 'production', project: 'churn-model' }))
 *   console.log(step.at, step.action, step.by.id, step.cardDigest, step.card?.risks);
 * ```
 */
export interface HandoverHistoryEntry {
  /** Whether the owners accepted the card or withdrew their acceptance. */
  action: 'accepted' | 'withdrawn';
  /** When (ISO 8601, UTC). */
  at: string;
  /** Who. */
  by: Actor;
  /** The digest of the card accepted (or of the acceptance withdrawn). */
  cardDigest: string;
  /** The card as accepted: what the owners were told (on `accepted`). */
  card?: ProjectCard;
  /** The version the card was accepted for (on `accepted`). */
  version?: string;
  /** The acceptance's comment, or the withdrawal's reason. */
  comment: string;
  /** The journal entry's sequence number. */
  seq: number;
}

/** A project's handover in an environment, or `null`. @internal */
export async function getHandover(context: EngineContext, ref: HandoverRef) {
  const { environment, project } = parseInput(HandoverRef, ref, 'handovers.get');
  return (await readHandover(context, environment, project))?.value ?? null;
}

/** Every handover recorded, optionally in one environment. @internal */
export async function listHandovers(context: EngineContext, filter: { environment?: string } = {}) {
  const { environment } = parseInput(z.object({ environment: Slug.optional() }).strict(), filter, 'handovers.list');
  const rows = await listAll(context, KIND.handover, Handover, environment ? `${environment}/` : undefined);
  return rows.map((row) => row.value);
}

/**
 * Who accepted (and withdrew) responsibility for a project in an environment, oldest first, with
 * the card each acceptance was given for; read from the journal.
 * @internal
 */
export async function handoverHistory(context: EngineContext, ref: HandoverRef): Promise<HandoverHistoryEntry[]> {
  const { environment, project } = parseInput(HandoverRef, ref, 'handovers.history');
  const id = handoverId(environment, project);
  const steps: HandoverHistoryEntry[] = [];
  for await (const entry of context.store.readJournal({ environment })) {
    if (entry.subject.kind !== KIND.handover || entry.subject.id !== id) continue;
    // Refused attempts (`decision.refused`) concern the handover too, but changed nothing.
    if (entry.type !== 'handover.accepted' && entry.type !== 'handover.withdrawn') continue;
    const data = entry.data as { cardDigest: string; card?: ProjectCard; version?: string };
    steps.push({
      action: entry.type === 'handover.accepted' ? 'accepted' : 'withdrawn',
      at: entry.at,
      by: entry.actor,
      cardDigest: data.cardDigest,
      ...(data.card ? { card: data.card } : {}),
      ...(data.version ? { version: data.version } : {}),
      comment: entry.reason ?? '',
      seq: entry.seq,
    });
  }
  return steps;
}
