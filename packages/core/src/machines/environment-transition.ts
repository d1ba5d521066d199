import { IllegalTransitionError } from '../errors/errors.js';
import type { EventsFrom, EventsOf, GuardsOf, StatesOf, TargetOf } from '../machine/define-machine.js';
import type { Actor } from '../model/actor.js';
import type { DeploymentStatus } from '../model/deployment.js';
import type { EnvironmentRecord, EnvironmentStatus } from '../model/environment.js';
import type { JournalDraft } from '../model/journal.js';
import { type EnvironmentMachineConfig, environmentMachine } from './environment-machine.js';

/** Every event of the environment machine. */
export type EnvironmentEvent = EventsOf<EnvironmentMachineConfig>;

/** An environment record whose status is known to be `TStatus`. */
export type EnvironmentIn<TStatus extends EnvironmentStatus> = EnvironmentRecord & { status: TStatus };

/** Who changes an environment's status, when, why, and the facts its guards read. */
export interface EnvironmentChange {
  at: string;
  actor: Actor;
  reason: string;
  /** The status of the environment's active deployment (`null` when none), read by `active_healthy`. */
  activeStatus?: DeploymentStatus | null;
}

/** An environment's status changed (the payload of the `environment.status` event). */
export interface EnvironmentTransition {
  environment: string;
  from: EnvironmentStatus;
  to: EnvironmentStatus;
  reason?: string;
}

/** What an environment transition asks the interpreter to do, within the commit that writes the record. */
export type EnvironmentEffect =
  | { type: 'journal'; draft: JournalDraft }
  | { type: 'emit'; name: 'environment.status'; payload: EnvironmentTransition };

/** The guards the environment machine names, each deciding whether its move is legal. */
const guards: { [G in GuardsOf<EnvironmentMachineConfig>]: (change: EnvironmentChange) => boolean } = {
  // Resuming to ready while the active deployment is unfinished would hide that it is not verified.
  active_healthy: (change) => change.activeStatus == null || change.activeStatus === 'active',
};

/**
 * The pure transition of an environment's status: the next record and its effects (a journal
 * entry `environment.status` and the `environment.status` event). A move that keeps the status
 * changes nothing and has no effects. Illegal events do not compile; a guard that does not hold
 * throws `IllegalTransitionError`.
 *
 * @example
 * ```ts
 * const { next, effects } = transitionEnvironment(environment, 'degrade', { at, actor, reason: 'monitor critical' });
 * ```
 */
export function transitionEnvironment<
  TState extends StatesOf<EnvironmentMachineConfig>,
  TEvent extends EventsFrom<EnvironmentMachineConfig, TState>,
>(
  environment: EnvironmentIn<TState>,
  event: TEvent,
  change: EnvironmentChange,
): {
  next: EnvironmentIn<Extract<TargetOf<EnvironmentMachineConfig, TState, TEvent>, EnvironmentStatus>>;
  effects: EnvironmentEffect[];
} {
  return transitionEnvironmentAny(environment, event as EnvironmentEvent, change) as never;
}

/**
 * The same transition for an event decided at run time; throws `IllegalTransitionError` when the
 * event is not legal in the environment's status or its guard does not hold.
 *
 * @example
 * ```ts
 * const { next } = transitionEnvironmentAny(environment, 'halt', { at, actor, reason: 'cap reached' });
 * ```
 */
export function transitionEnvironmentAny(
  environment: EnvironmentRecord,
  event: EnvironmentEvent,
  change: EnvironmentChange,
): { next: EnvironmentRecord; effects: EnvironmentEffect[] } {
  const id = environment.definition.id;
  const from = environment.status;
  const to = environmentMachine.tryNext(from, event);
  if (to === undefined) throw new IllegalTransitionError({ machine: 'environment', from, event, id });
  const guard = environmentMachine.guard(from, event);
  if (guard !== undefined && !guards[guard](change)) {
    throw new IllegalTransitionError({ machine: 'environment', from, event, id, guard });
  }
  if (to === from) return { next: environment, effects: [] };
  const { statusReason: _previous, ...rest } = environment;
  const next: EnvironmentRecord = {
    ...rest,
    status: to,
    ...(to === 'ready' ? {} : { statusReason: change.reason }),
    updatedAt: change.at,
  };
  const draft: JournalDraft = {
    at: change.at,
    actor: change.actor,
    type: 'environment.status',
    subject: { kind: 'environment', id },
    environment: id,
    reason: change.reason,
    data: { from, to, event },
  };
  return {
    next,
    effects: [
      { type: 'journal', draft },
      { type: 'emit', name: 'environment.status', payload: { environment: id, from, to, reason: change.reason } },
    ],
  };
}
