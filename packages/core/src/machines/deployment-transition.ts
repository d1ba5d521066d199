import { IllegalTransitionError } from '../errors/errors.js';
import type { EventsFrom, EventsOf, GuardsOf, StatesOf, TargetOf } from '../machine/define-machine.js';
import type { Actor } from '../model/actor.js';
import type { Deployment, DeploymentIn, DeploymentStatus } from '../model/deployment.js';
import type { JournalDraft } from '../model/journal.js';
import { type DeploymentMachineConfig, deploymentMachine } from './deployment-machine.js';

/** Fields every deployment variant shares; a transition keeps them and replaces the rest. */
const BASE_KEYS = [
  'id',
  'environment',
  'kind',
  'bundleId',
  'project',
  'version',
  'requestedBy',
  'requestedAt',
  'reason',
  'idempotencyKey',
  'automatic',
  'rollbackOf',
  'restores',
  'approvals',
  'freezeOverride',
] as const;
type BaseKey = (typeof BASE_KEYS)[number] | 'enteredAt' | 'updatedAt' | 'status';

/** The fields a target state needs beyond the shared ones (`deadlineAt`, `snapshot`, `failure`, …). */
export type FieldsFor<TStatus extends DeploymentStatus> = Omit<DeploymentIn<TStatus>, BaseKey> &
  Partial<Pick<DeploymentIn<TStatus>, 'approvals'>>;

/** The guards the deployment machine names, each deciding whether its move is legal. */
const guards: { [G in GuardsOf<DeploymentMachineConfig>]: (deployment: Deployment) => boolean } = {
  // A rollback is never rolled back automatically: a person decides what runs.
  not_a_rollback: (deployment) => deployment.kind !== 'rollback',
};

/** The status a legal event leads to from a status. */
export type Target<
  TState extends StatesOf<DeploymentMachineConfig>,
  TEvent extends EventsFrom<DeploymentMachineConfig, TState>,
> = Extract<TargetOf<DeploymentMachineConfig, TState, TEvent>, DeploymentStatus>;

/** Every event of the deployment machine. */
export type DeploymentEvent = EventsOf<DeploymentMachineConfig>;

/** Who causes a transition, when, and why. */
export interface TransitionContext {
  at: string;
  actor: Actor;
  reason?: string;
  /** Extra facts for the journal entry. */
  data?: Record<string, unknown>;
}

/** What a transition asks the interpreter to do, in order, within one commit. */
export type DeploymentEffect =
  | { type: 'persist'; kind: 'deployment'; id: string; value: Deployment }
  | { type: 'journal'; draft: JournalDraft }
  | { type: 'emit'; name: 'deployment.transition'; payload: DeploymentTransition };

/** A deployment moved from one state to another. */
export interface DeploymentTransition {
  /** The deployment as it is now, in `to`. */
  deployment: Deployment;
  /** The state it left. */
  from: DeploymentStatus;
  /** The state it entered. */
  to: DeploymentStatus;
  /** The event that moved it. */
  event: DeploymentEvent;
  /** Who (or which part of Railyard) moved it. */
  actor: Actor;
  /** Why, when a person or a check gave a reason. */
  reason?: string;
  /** When the deployment entered `from` (ISO time): how long it spent there is `deployment.updatedAt − since`. */
  since: string;
}

/**
 * The pure transition of a deployment: the next record and the effects (persist, journal, emit).
 * Illegal moves do not compile; the target's required fields are demanded by type.
 *
 * @example
 * ```ts
 * const { next, effects } = transitionDeployment(awaiting, 'reject', { at, actor: alice }, { rejection: { by: alice, at } });
 * ```
 */
export function transitionDeployment<
  TState extends StatesOf<DeploymentMachineConfig>,
  TEvent extends EventsFrom<DeploymentMachineConfig, TState>,
>(
  deployment: DeploymentIn<TState>,
  event: TEvent,
  context: TransitionContext,
  fields: FieldsFor<Target<TState, TEvent>>,
): { next: DeploymentIn<Target<TState, TEvent>>; effects: DeploymentEffect[] } {
  return transitionAny(deployment, event as DeploymentEvent, context, fields as Record<string, unknown>) as never;
}

/**
 * The same transition for a move decided at run time; throws `IllegalTransitionError` when the
 * event is not legal in the deployment's state.
 *
 * @example
 * ```ts
 * const { next } = transitionAny(deployment, 'timeout', { at, actor: system }, { failure });
 * ```
 */
export function transitionAny(
  deployment: Deployment,
  event: DeploymentEvent,
  context: TransitionContext,
  fields: Record<string, unknown>,
): { next: Deployment; effects: DeploymentEffect[] } {
  const to = deploymentMachine.tryNext(deployment.status, event);
  if (to === undefined) {
    throw new IllegalTransitionError({ machine: 'deployment', from: deployment.status, event, id: deployment.id });
  }
  const guard = deploymentMachine.guard(deployment.status, event);
  if (guard !== undefined && !guards[guard](deployment)) {
    throw new IllegalTransitionError({
      machine: 'deployment',
      from: deployment.status,
      event,
      id: deployment.id,
      guard,
    });
  }
  const kept: Record<string, unknown> = {};
  for (const key of BASE_KEYS) if (deployment[key] !== undefined) kept[key] = deployment[key];
  const next = {
    ...kept,
    ...fields,
    status: to,
    enteredAt: to === deployment.status ? deployment.enteredAt : context.at,
    updatedAt: context.at,
  } as Deployment;
  const from = deployment.status;
  const draft: JournalDraft = {
    at: context.at,
    actor: context.actor,
    type: 'deployment.transition',
    subject: { kind: 'deployment', id: deployment.id },
    environment: deployment.environment,
    deploymentId: deployment.id,
    ...(context.reason === undefined ? {} : { reason: context.reason }),
    data: { from, to, event, bundleId: deployment.bundleId, version: deployment.version, ...context.data },
  };
  return {
    next,
    effects: [
      { type: 'persist', kind: 'deployment', id: deployment.id, value: next },
      { type: 'journal', draft },
      {
        type: 'emit',
        name: 'deployment.transition',
        payload: {
          deployment: next,
          from,
          to,
          event,
          actor: context.actor,
          ...(context.reason === undefined ? {} : { reason: context.reason }),
          since: deployment.enteredAt,
        },
      },
    ],
  };
}
