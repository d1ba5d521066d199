import * as z from 'zod';
import { Actor } from './actor.js';
import type { Actor as ActorType } from './environment-types.js';
import { Digest, Reason, SemverString, Slug, Timestamp } from './primitives.js';
import { ProjectCard } from './project-card.js';

/**
 * Where a project's handover into an environment stands: the card its owners accepted (`accepted`),
 * or an acceptance taken back (`withdrawn`), which blocks the project's next promotion there.
 *
 * @example
 * ```ts
 * const handover = await railyard.handovers.get({ environment: 'production', project: 'churn-model' });
 * if (handover?.status === 'accepted') console.log(handover.by.id, handover.cardDigest, handover.comment);
 * ```
 */
export type Handover = HandoverAccepted | HandoverWithdrawn;

/** An accepted handover: who took responsibility for which card, when, and what they said. */
export interface HandoverAccepted {
  /** Accepted: the project may be promoted while its card matches. */
  status: 'accepted';
  /** The environment whose owners accepted. */
  environment: string;
  /** The project they accepted. */
  project: string;
  /** `sha256:` of the accepted card's canonical JSON. */
  cardDigest: string;
  /** The card as accepted: what the owners were told. */
  card: ProjectCard;
  /** The version whose card was accepted. */
  version: string;
  /** Who accepted (a holder of the handover role). */
  by: ActorType;
  /** When (ISO 8601, UTC). */
  at: string;
  /** What was agreed, in the acceptor's words. */
  comment: string;
}

/** A withdrawn handover: the last acceptance, and who took it back, when and why. */
export interface HandoverWithdrawn extends Omit<HandoverAccepted, 'status'> {
  /** Withdrawn: the project's next promotion waits for a new acceptance. */
  status: 'withdrawn';
  /** Who withdrew the acceptance, when, and why. */
  withdrawn: {
    /** Who withdrew it. */
    by: ActorType;
    /** When (ISO 8601, UTC). */
    at: string;
    /** Why. */
    reason: string;
  };
}

const accepted = {
  environment: Slug,
  project: Slug,
  cardDigest: Digest,
  card: ProjectCard,
  version: SemverString,
  by: Actor,
  at: Timestamp,
  comment: Reason,
};

/** A handover record as stored. @hidden */
export const Handover = z.discriminatedUnion('status', [
  z.object({ status: z.literal('accepted'), ...accepted }).strict() satisfies z.ZodType<HandoverAccepted>,
  z
    .object({
      status: z.literal('withdrawn'),
      ...accepted,
      withdrawn: z.object({ by: Actor, at: Timestamp, reason: Reason }).strict(),
    })
    .strict() satisfies z.ZodType<HandoverWithdrawn>,
]);
