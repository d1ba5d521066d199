import { verifyBundleBlobs } from '../../bundle/verify-blobs.js';
import { transitionDeployment } from '../../machines/deployment-transition.js';
import type { Snapshot } from '../../model/environment.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { readBundle } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { blockingGate } from '../commands/promotion-gates.js';
import { deadlineFor } from '../deadlines.js';
import { failStage, type StageInput } from './stage.js';

/**
 * Re-checks everything before the active pointer moves: every blob's bytes against its digest,
 * and for promotions the gates of the `preflight` stage (freeze windows, the version rule,
 * signatures and requirements; the same table and messages as `promote`), resolved against
 * the environment into the snapshot the deployment will run with. A rollback restores its
 * snapshot exactly.
 * @internal
 */
export async function preflight(context: EngineContext, input: StageInput<'preflight'>): Promise<StepResult> {
  const d = input.deployment.value;
  const env = input.environment.value;
  const bundle = await readBundle(context, d.bundleId);
  if (!bundle) return failStage(context, input, 'bundle-missing', `bundle ${d.bundleId} is not stored on this site`);
  const integrity = await verifyBundleBlobs(context.blobs, bundle.value.manifest);
  const [problem] = integrity.problems;
  if (problem) return failStage(context, input, 'integrity', problem.message);
  let snapshot: Snapshot;
  if (d.kind === 'rollback' && d.restores) {
    snapshot = d.restores;
  } else {
    const blocked = await blockingGate(
      context,
      {
        environment: env,
        bundle: bundle.value,
        ...(d.freezeOverride ? { freezeOverride: { reason: d.freezeOverride.reason } } : {}),
      },
      'preflight',
    );
    if (blocked) return failStage(context, input, blocked.gate, blocked.reason);
    snapshot = {
      bundleId: d.bundleId,
      project: d.project,
      version: d.version,
      variables: { ...env.definition.variables },
      connections: { ...env.definition.connections },
    };
  }
  const at = nowIso(context);
  const work = new UnitOfWork(context);
  work.run(
    transitionDeployment(
      d,
      'pass',
      { at, actor: SYSTEM_ACTOR },
      {
        startedAt: d.startedAt,
        snapshot,
        deadlineAt: deadlineFor(env.definition.policy, 'activating', at),
      },
    ).effects,
    input.deployment.version,
  );
  await work.commit();
  return progressed;
}
