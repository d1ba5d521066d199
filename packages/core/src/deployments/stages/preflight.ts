import { verifyBundleBlobs } from '../../bundle/verify-blobs.js';
import { transitionDeployment } from '../../machines/deployment-transition.js';
import type { Snapshot } from '../../model/environment.js';
import { activeFreeze } from '../../policy/freeze.js';
import { describeMissing, missingRequirements } from '../../policy/requirements.js';
import { isForbiddenDowngrade } from '../../policy/version-rule.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { readBundle } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { signatureStatus } from '../bundles/signatures.js';
import { deadlineFor } from '../deadlines.js';
import { failStage, type StageInput } from './stage.js';

/**
 * Re-checks everything before the active pointer moves: every blob's bytes against its digest,
 * and for promotions the freeze windows, the version rule and the requirements, resolved against
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
    const { policy } = env.definition;
    const freeze = activeFreeze(policy, context.clock.now());
    if (freeze && !d.freezeOverride) {
      return failStage(
        context,
        input,
        'freeze-window',
        `${env.definition.id} is frozen until ${freeze.until}${freeze.reason ? ` (${freeze.reason})` : ''}`,
      );
    }
    if (isForbiddenDowngrade(policy, env.active, d.version)) {
      return failStage(
        context,
        input,
        'no-downgrade',
        `${env.definition.id} now runs ${env.active?.snapshot.version}; ${d.version} would be a downgrade`,
      );
    }
    const signatures = await signatureStatus(context, d.bundleId, policy.signatures);
    if (signatures.missing > 0) {
      const reason = `bundle lacks ${signatures.missing} of the ${policy.signatures.required} required signature(s) from pinned keys`;
      return failStage(context, input, 'signatures', reason);
    }
    const missing = missingRequirements(
      bundle.value.manifest.requirements,
      env.definition,
      new Set(context.steps.keys()),
    );
    if (missing) return failStage(context, input, 'requirements', `missing ${describeMissing(missing)}`);
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
