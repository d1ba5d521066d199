import type { Actor } from '../model/actor.js';
import type { EnvironmentRecord, EnvironmentStatus } from '../model/environment.js';
import { KIND } from '../runtime/records.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';

/**
 * Sets an environment's status, journaling and announcing the change when there is one.
 * @internal
 */
export function withStatus(
  work: UnitOfWork,
  environment: EnvironmentRecord,
  status: EnvironmentStatus,
  change: { at: string; actor: Actor; reason: string },
): EnvironmentRecord {
  if (environment.status === status) return environment;
  const id = environment.definition.id;
  work
    .journal({
      at: change.at,
      actor: change.actor,
      type: 'environment.status',
      subject: { kind: KIND.environment, id },
      environment: id,
      reason: change.reason,
      data: { from: environment.status, to: status },
    })
    .emit('environment.status', { environment: id, from: environment.status, to: status, reason: change.reason });
  const { statusReason: _previous, ...rest } = environment;
  return { ...rest, status, ...(status === 'ready' ? {} : { statusReason: change.reason }), updatedAt: change.at };
}

/** The environment without a deployment in its queue or in-flight slot. @internal */
export function release(environment: EnvironmentRecord, deploymentId: string, at: string): EnvironmentRecord {
  return {
    ...environment,
    queue: environment.queue.filter((id) => id !== deploymentId),
    inFlight: environment.inFlight === deploymentId ? null : environment.inFlight,
    updatedAt: at,
  };
}
