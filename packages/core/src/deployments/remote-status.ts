import { RemoteDeployment, SETTLED_REMOTE } from '../model/remote-deployment.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../runtime/context.js';
import { KIND, listAll } from '../runtime/records.js';
import type { StepResult } from '../runtime/step-result.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';

/**
 * Follows the deployments this site asked a remote site for: asks the transport for each one that
 * has not settled and records (and journals) every status change. Only changes are written.
 * @internal
 */
export async function reconcileRemote(context: EngineContext, environment: string): Promise<StepResult> {
  const transport = context.transport;
  if (!transport) return { progressed: false };
  const now = context.clock.now().getTime();
  const last = context.remotePolls.get(environment);
  if (last !== undefined && now - last < context.remotePollMs)
    return { progressed: false, nextAt: last + context.remotePollMs };
  context.remotePolls.set(environment, now);
  const tracked = await listAll(context, KIND.remoteDeployment, RemoteDeployment, `${environment}/`);
  let changed = false;
  let waiting = false;
  for (const { value, version } of tracked) {
    if (SETTLED_REMOTE.has(value.status)) continue;
    waiting = true;
    const remote = await transport.getDeployment(value.remoteId);
    if (!remote || remote.status === value.status) continue;
    const at = nowIso(context);
    const detail =
      remote.status === 'failed'
        ? remote.failure.reason
        : remote.status === 'rejected'
          ? remote.rejection.reason
          : undefined;
    const next: RemoteDeployment = { ...value, status: remote.status, checkedAt: at, ...(detail ? { detail } : {}) };
    const key = `${environment}/${value.remoteId}`;
    await new UnitOfWork(context)
      .put(KIND.remoteDeployment, key, version, next)
      .journal({
        at,
        actor: SYSTEM_ACTOR,
        type: 'remote.deployment.status',
        subject: { kind: KIND.remoteDeployment, id: key },
        environment,
        ...(detail ? { reason: detail } : {}),
        data: { remoteId: value.remoteId, from: value.status, to: remote.status },
      })
      .emit('remote.deployment', next)
      .commit();
    changed = true;
  }
  return { progressed: changed, ...(waiting ? { nextAt: now + context.remotePollMs } : {}) };
}
