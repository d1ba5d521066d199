import { cardDigest } from '../../bundle/card-digest.js';
import { PolicyError, type PolicyRule } from '../../errors/errors.js';
import type { Actor } from '../../model/actor.js';
import type { BundleRecord } from '../../model/bundle.js';
import { Deployment } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { type GateFacts, type GateResult, type GateStage, runGates } from '../../policy/gates.js';
import { checkHandover } from '../../policy/handover.js';
import type { EngineContext } from '../../runtime/context.js';
import { KIND, listAll } from '../../runtime/records.js';
import { signatureStatus } from '../bundles/signatures.js';
import { readHandover } from '../handovers/read-handover.js';

export type { GateResult } from '../../policy/gates.js';

/** What a stage asks the gates about. */
interface GateInput {
  environment: EnvironmentRecord;
  bundle: Pick<BundleRecord, 'id' | 'manifest'>;
  by?: Actor;
  freezeOverride?: { reason?: string };
  /** A deployment already requested, reviewed in place: it does not wait behind itself. */
  self?: string;
}

/**
 * Evaluates the gates of one stage (the one table in `policy/gates.ts`), reading from the store
 * only the facts they need: the bundle's signatures and, when the policy requires it, where the
 * bundle has been active upstream.
 * @internal
 */
export async function evaluateGates(
  context: EngineContext,
  input: GateInput,
  stage: GateStage = 'promote',
): Promise<GateResult[]> {
  const { environment, bundle } = input;
  const { definition } = environment;
  const needsUpstream = stage === 'promote' && definition.policy.requireUpstream && definition.promotesFrom.length > 0;
  const upstream = needsUpstream ? await activeUpstream(context, definition.promotesFrom, bundle.id) : undefined;
  // The handover gate belongs to the promote stage: preflight does not read the record.
  const handover =
    stage === 'promote' && definition.policy.handover
      ? checkHandover({
          definition,
          manifest: bundle.manifest,
          ...(bundle.manifest.card ? { cardDigest: cardDigest(bundle.manifest.card) } : {}),
          record: (await readHandover(context, definition.id, bundle.manifest.project))?.value ?? null,
          now: context.clock.now(),
        })
      : undefined;
  const facts: GateFacts = {
    environment,
    bundle,
    now: context.clock.now(),
    signatures: await signatureStatus(context, bundle.id, definition.policy.signatures),
    stepTypes: new Set(context.steps.keys()),
    ...(input.by ? { by: input.by } : {}),
    ...(input.freezeOverride ? { freezeOverride: input.freezeOverride } : {}),
    ...(input.self ? { self: input.self } : {}),
    ...(upstream ? { upstream } : {}),
    ...(handover ? { handover } : {}),
  };
  return runGates(stage, facts);
}

/**
 * The first gate of a stage that blocks, if any.
 * @internal
 */
export async function blockingGate(
  context: EngineContext,
  input: GateInput,
  stage: GateStage,
): Promise<GateResult | undefined> {
  return (await evaluateGates(context, input, stage)).find((gate) => gate.status === 'block');
}

/**
 * Throws a `PolicyError` naming the first gate that blocks a promotion; returns the gates otherwise.
 * @internal
 */
export async function checkPromotionGates(
  context: EngineContext,
  input: { environment: EnvironmentRecord; bundle: BundleRecord; by: Actor; freezeOverride?: { reason: string } },
): Promise<GateResult[]> {
  const gates = await evaluateGates(context, input, 'promote');
  const blocked = gates.find((gate) => gate.status === 'block');
  if (blocked) {
    const by = { actor: input.by.id, ...(input.by.via ? { via: input.by.via } : {}) };
    throw new PolicyError(blocked.gate as PolicyRule, blocked.reason, { ...by, ...blocked.details });
  }
  return gates;
}

async function activeUpstream(
  context: EngineContext,
  upstreams: readonly string[],
  bundleId: string,
): Promise<string | undefined> {
  for (const upstream of upstreams) {
    const history = await listAll(context, KIND.deployment, Deployment, `${upstream}/`);
    if (
      history.some(
        ({ value }) => value.bundleId === bundleId && (value.status === 'active' || value.status === 'superseded'),
      )
    ) {
      return upstream;
    }
  }
  return undefined;
}
