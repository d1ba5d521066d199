import { transitionDeployment } from '../../machines/deployment-transition.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { KIND, readBundle } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { deadlineFor } from '../deadlines.js';
import { failStage, type StageInput } from './stage.js';

/**
 * Takes an approved deployment into the in-flight slot (compare-and-swap on the environment).
 * @internal
 */
export async function startDeployment(context: EngineContext, input: StageInput<'approved'>): Promise<StepResult> {
  const { environment, deployment } = input;
  const at = nowIso(context);
  const policy = environment.value.definition.policy;
  const work = new UnitOfWork(context);
  work.run(
    transitionDeployment(
      deployment.value,
      'start',
      { at, actor: SYSTEM_ACTOR },
      { startedAt: at, deadlineAt: deadlineFor(policy, 'transferring', at) },
    ).effects,
    deployment.version,
  );
  const env = environment.value;
  work.put(KIND.environment, env.definition.id, environment.version, {
    ...env,
    inFlight: deployment.value.id,
    queue: env.queue.filter((id) => id !== deployment.value.id),
    updatedAt: at,
  });
  await work.commit();
  return progressed;
}

/**
 * Checks that every blob of the bundle is present at this site with its declared size.
 * @internal
 */
export async function transfer(context: EngineContext, input: StageInput<'transferring'>): Promise<StepResult> {
  const d = input.deployment.value;
  const bundle = await readBundle(context, d.bundleId);
  if (!bundle) return failStage(context, input, 'bundle-missing', `bundle ${d.bundleId} is not stored on this site`);
  for (const entry of bundle.value.manifest.entries) {
    const stat = await context.blobs.stat(entry.digest);
    if (!stat)
      return failStage(
        context,
        input,
        'blob-missing',
        `entry "${entry.path}" (${entry.digest}) is missing from the blob store`,
      );
    if (stat.size !== entry.size) {
      return failStage(
        context,
        input,
        'integrity',
        `entry "${entry.path}" is ${stat.size} bytes, but the manifest says ${entry.size}`,
      );
    }
  }
  const at = nowIso(context);
  const work = new UnitOfWork(context);
  work.run(
    transitionDeployment(
      d,
      'transferred',
      { at, actor: SYSTEM_ACTOR, data: { entries: bundle.value.manifest.entries.length } },
      {
        startedAt: d.startedAt,
        deadlineAt: deadlineFor(input.environment.value.definition.policy, 'preflight', at),
      },
    ).effects,
    input.deployment.version,
  );
  await work.commit();
  return progressed;
}
