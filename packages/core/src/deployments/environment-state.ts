import type { EventsFrom } from '../machine/define-machine.js';
import type { EnvironmentMachineConfig } from '../machines/environment-machine.js';
import {
  type EnvironmentChange,
  type EnvironmentIn,
  transitionEnvironment,
} from '../machines/environment-transition.js';
import type { EnvironmentRecord, EnvironmentStatus } from '../model/environment.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';

/**
 * Fires an environment machine event: the environment with its new status, the journal entry and
 * the `environment.status` event recorded in `work` when the status changes.
 * @internal
 */
export function withStatus<TState extends EnvironmentStatus>(
  work: UnitOfWork,
  environment: EnvironmentIn<TState>,
  event: EventsFrom<EnvironmentMachineConfig, TState>,
  change: EnvironmentChange,
): EnvironmentRecord {
  const { next, effects } = transitionEnvironment(environment, event, change);
  for (const effect of effects) {
    if (effect.type === 'journal') work.journal(effect.draft);
    else work.emit(effect.name, effect.payload);
  }
  return next;
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
