import { transitionAny } from '../machines/deployment-transition.js';
import type { Actor } from '../model/actor.js';
import type { Deployment, Failure } from '../model/deployment.js';
import type { EnvironmentRecord } from '../model/environment.js';
import type { EngineContext } from '../runtime/context.js';
import type { Read } from '../runtime/read.js';
import { readDeployment } from '../runtime/records.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';
import { release, withStatus } from './environment-state.js';

/**
 * Ends a deployment in `failed` (by `fail`, `timeout` or `abandon`) and fixes up its environment:
 * frees the slot, marks the environment degraded when the failed deployment is what it runs, and
 * when a rollback fails, fails the deployment it was rolling back and halts the environment.
 * Returns the environment to write.
 * @internal
 */
export async function failDeployment(
  context: EngineContext,
  work: UnitOfWork,
  input: {
    environment: EnvironmentRecord;
    deployment: Read<Deployment>;
    event: 'fail' | 'timeout' | 'abandon';
    failure: Failure;
    actor: Actor;
  },
): Promise<EnvironmentRecord> {
  const { deployment, failure, actor } = input;
  const d = deployment.value;
  const at = failure.at;
  const carried =
    'snapshot' in d && d.snapshot
      ? {
          snapshot: d.snapshot,
          ...('replaces' in d ? { replaces: d.replaces } : {}),
          ...('activatedAt' in d ? { activatedAt: d.activatedAt } : {}),
        }
      : {};
  const { effects } = transitionAny(
    d,
    input.event,
    { at, actor, reason: failure.reason, data: { code: failure.code } },
    { failure, ...carried },
  );
  work.run(effects, deployment.version);
  let environment = release(input.environment, d.id, at);
  if (environment.active?.deploymentId === d.id && d.kind === 'promotion') {
    environment = withStatus(work, environment, 'degrade', { at, actor, reason: `${d.id} failed: ${failure.reason}` });
  }
  if (d.kind === 'rollback') {
    const rolled = d.rollbackOf ? await readDeployment(context, d.rollbackOf) : null;
    if (rolled?.value.status === 'rolling_back') {
      const reason = `its rollback ${d.id} failed: ${failure.reason}`;
      const { effects: more } = transitionAny(
        rolled.value,
        'fail',
        { at, actor, reason },
        {
          failure: { code: 'rollback-failed', reason, at },
          snapshot: rolled.value.snapshot,
          replaces: rolled.value.replaces,
          activatedAt: rolled.value.activatedAt,
        },
      );
      work.run(more, rolled.version);
    }
    environment = withStatus(work, environment, 'halt', {
      at,
      actor,
      reason: `rollback ${d.id} failed (${failure.reason}); a person must decide what runs`,
    });
  }
  return environment;
}
