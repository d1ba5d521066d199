import * as z from 'zod';
import { cardDigest } from '../../bundle/card-digest.js';
import { type BundleDiff, diffManifests, formatDiff } from '../../bundle/diff.js';
import { NotFoundError } from '../../errors/errors.js';
import { Actor } from '../../model/actor.js';
import type { BundleRecord } from '../../model/bundle.js';
import { DeploymentId } from '../../model/commands.js';
import type { Snapshot } from '../../model/environment.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest, Reason, Slug } from '../../model/primitives.js';
import type { ProjectCard } from '../../model/project-card.js';
import type { CardChange } from '../../policy/handover.js';
import type { EngineContext } from '../../runtime/context.js';
import { readBundle, readDeployment, readEnvironment } from '../../runtime/records.js';
import { formatCard, formatCardDiff } from '../handovers/format-card.js';
import { evaluateGates, type GateResult } from './promotion-gates.js';
import { diffSettings, formatSettingChanges, type SettingChange, showSetting } from './settings-diff.js';

/** Input of `plan`: a bundle and a target, or a deployment waiting for approval. @hidden */
export const PlanInput = z.union([
  z
    .object({
      bundle: Digest,
      to: Slug,
      by: Actor.optional(),
      freezeOverride: z.object({ reason: Reason }).strict().optional(),
    })
    .strict(),
  z.object({ deployment: DeploymentId }).strict(),
]);
/** Input of `plan`. */
export type PlanInput = z.input<typeof PlanInput>;

/** What promoting a bundle into an environment would do, computed without side effects. */
export interface PromotionPlan {
  /** The target environment. */
  environment: string;
  /** The bundle to promote. */
  bundle: {
    /** Its id. */
    id: string;
    /** Its project. */
    project: string;
    /** Its version. */
    version: string;
    /** Who created it. */
    createdBy: string;
  };
  /** What the environment runs now. */
  active: {
    /** The active deployment. */
    deploymentId: string;
    /** Its bundle's version. */
    version: string;
  } | null;
  /** The change against what is active. */
  diff: BundleDiff;
  /** Variables and connection remaps as the deployment would run with them. */
  resolves: Pick<Snapshot, 'variables' | 'connections'>;
  /** The variables and remaps that change against what is active (secret references by name). */
  settings: SettingChange[];
  /** Every gate the promotion would meet, and where each stands. */
  gates: GateResult[];
  /** The bundle's project card and its digest (what a handover accepts), or `null` without one. */
  card: {
    /** The card's digest: what `handovers.accept` binds to. */
    digest: string;
    /** The card itself. */
    card: ProjectCard;
  } | null;
  /** Whether the promotion could be requested now (no gate blocks). */
  allowed: boolean;
  /** The plan as text for people. */
  text: string;
}

/**
 * A dry run of a promotion: the diff against what is active in the target, how variables and
 * remaps would resolve, and every gate with its state (passed, blocking and why, or pending
 * approvals). Nothing is written. For a deployment awaiting approval, it is what the approver reviews.
 * @internal
 */
export async function plan(context: EngineContext, input: PlanInput): Promise<PromotionPlan> {
  const command = parseInput(PlanInput, input, 'plan');
  let bundleId: string;
  let to: string;
  let by: Actor | undefined;
  let freezeOverride: { reason: string } | undefined;
  let self: string | undefined;
  if ('deployment' in command) {
    self = command.deployment;
    const deployment = await readDeployment(context, command.deployment);
    if (!deployment) throw new NotFoundError('deployment', command.deployment);
    ({ bundleId, environment: to, requestedBy: by } = deployment.value);
    if (deployment.value.freezeOverride) freezeOverride = { reason: deployment.value.freezeOverride.reason ?? '' };
  } else {
    ({ bundle: bundleId, to, by, freezeOverride } = command);
  }
  const environment = await readEnvironment(context, to);
  if (!environment) throw new NotFoundError('environment', to);
  const bundle = await readBundle(context, bundleId);
  if (!bundle) throw new NotFoundError('bundle', bundleId);
  const env = environment.value;
  const activeBundle: BundleRecord | null = env.active
    ? ((await readBundle(context, env.active.snapshot.bundleId))?.value ?? null)
    : null;
  const gates = await evaluateGates(context, {
    environment: env,
    bundle: bundle.value,
    ...(by ? { by } : {}),
    ...(freezeOverride ? { freezeOverride } : {}),
    ...(self ? { self } : {}),
  });
  const resolves = { variables: { ...env.definition.variables }, connections: { ...env.definition.connections } };
  const diff = diffManifests(activeBundle?.manifest ?? null, bundle.value.manifest);
  const result: Omit<PromotionPlan, 'text'> = {
    environment: env.definition.id,
    bundle: {
      id: bundle.value.id,
      project: bundle.value.manifest.project,
      version: bundle.value.manifest.version,
      createdBy: bundle.value.manifest.createdBy,
    },
    active: env.active ? { deploymentId: env.active.deploymentId, version: env.active.snapshot.version } : null,
    diff,
    resolves,
    settings: diffSettings(env.active?.snapshot ?? null, resolves),
    gates,
    card: bundle.value.manifest.card
      ? { digest: cardDigest(bundle.value.manifest.card), card: bundle.value.manifest.card }
      : null,
    allowed: gates.every((gate) => gate.status !== 'block'),
  };
  return { ...result, text: formatPlan(result) };
}

function formatPlan(p: Omit<PromotionPlan, 'text'>): string {
  const mark = { pass: '✓', block: '✗', pending: '…' } as const;
  const lines = [
    `Plan: ${p.bundle.project}@${p.bundle.version} → ${p.environment} (now ${p.active ? `${p.active.version}, ${p.active.deploymentId}` : 'empty'})`,
    formatDiff(p.diff),
    `  resolves: ${
      Object.entries(p.resolves.variables)
        .map(([k, v]) => `${k}=${showSetting(v)}`)
        .join(' ') || '(no variables)'
    }; connections ${
      Object.entries(p.resolves.connections)
        .map(([k, v]) => `${k}→${showSetting(v)}`)
        .join(' ') || '(none)'
    }`,
    formatSettingChanges(p.settings),
    ...(p.card ? formatCard(p.card.card, p.card.digest) : []),
    ...p.gates.flatMap((g) => [
      `  ${mark[g.status]} ${g.gate}: ${g.reason}${g.opensAt ? ` (opens ${g.opensAt})` : ''}`,
      ...(g.gate === 'handover' && g.status !== 'pass' ? formatCardDiff(g.details?.cardDiff as CardChange[]) : []),
    ]),
  ];
  return lines.join('\n');
}
