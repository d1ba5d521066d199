import { IllegalTransitionError } from '../errors/errors.js';
import type { EventsFrom, StatesOf, TargetOf } from '../machine/define-machine.js';
import type { Actor } from '../model/actor.js';
import type { JournalDraft } from '../model/journal.js';
import type {
  ScenarioRun,
  ScenarioRunIn,
  ScenarioRunStatus,
  StepReport,
  StepReportIn,
  StepStatus,
} from '../model/scenario-run.js';
import { type ScenarioRunEvent, type ScenarioRunMachineConfig, scenarioRunMachine } from './scenario-run-machine.js';
import { type ScenarioStepMachineConfig, scenarioStepMachine } from './scenario-step-machine.js';

const RUN_BASE_KEYS = [
  'id',
  'scenario',
  'revision',
  'definition',
  'trigger',
  'params',
  'environment',
  'deploymentId',
  'depth',
  'ancestors',
  'queuedAt',
  'variables',
  'steps',
] as const;
type RunBaseKey = (typeof RUN_BASE_KEYS)[number] | 'updatedAt' | 'status';

/**
 * The fields a run's target state needs beyond the shared ones; `steps` and `variables` may be replaced.
 *
 * @example
 * ```ts
 * const fields: RunFieldsFor<'running'> = { startedAt: at, deadlineAt, owner: engineId, leaseUntil };
 * ```
 */
export type RunFieldsFor<TStatus extends ScenarioRunStatus> = Omit<ScenarioRunIn<TStatus>, RunBaseKey> &
  Partial<Pick<ScenarioRunIn<TStatus>, 'steps' | 'variables'>>;

/**
 * The status a legal run event leads to.
 *
 * @example
 * ```ts
 * type T = RunTarget<'running', 'warn'>; // 'warning'
 * ```
 */
export type RunTarget<
  TState extends StatesOf<ScenarioRunMachineConfig>,
  TEvent extends EventsFrom<ScenarioRunMachineConfig, TState>,
> = Extract<TargetOf<ScenarioRunMachineConfig, TState, TEvent>, ScenarioRunStatus>;

/**
 * A run moved from one state to another (`from` is `null` when it was just queued).
 *
 * @example
 * ```ts
 * railyard.events.on('scenario.run', ({ run, from, to }: ScenarioRunTransition) => console.log(run.id, from, '→', to));
 * ```
 */
export interface ScenarioRunTransition {
  /** The run as it is now, in `to`. */
  run: ScenarioRun;
  /** The state it left; `null` when the run was just created. */
  from: ScenarioRunStatus | null;
  /** The state it entered. */
  to: ScenarioRunStatus;
  /** Who (or which part of Railyard) moved it. */
  actor: Actor;
  /** Why, when a person or a check gave a reason. */
  reason?: string;
}

/**
 * What a run transition asks the interpreter to do, in one commit.
 *
 * @example
 * ```ts
 * for (const effect of transitionRun(queued, 'abort', ctx, fields).effects) if (effect.type === 'journal') console.log(effect.draft.type);
 * ```
 */
export type ScenarioRunEffect =
  | { type: 'persist'; kind: 'scenario-run'; id: string; value: ScenarioRun }
  | { type: 'journal'; draft: JournalDraft }
  | { type: 'emit'; name: 'scenario.run'; payload: ScenarioRunTransition };

/**
 * Who causes a run transition, when, and why.
 *
 * @example
 * ```ts
 * transitionRun(running, 'abort', { at, actor: operator, reason: 'bad data' } satisfies RunTransitionContext, fields);
 * ```
 */
export interface RunTransitionContext {
  at: string;
  actor: Actor;
  reason?: string;
}

/**
 * The pure transition of a run: the next record and its effects (persist, journal, emit). Illegal
 * moves do not compile; the fields the target state needs are demanded by type.
 *
 * @example
 * ```ts
 * const { next } = transitionRun(queued, 'start', { at, actor }, { startedAt: at, deadlineAt, owner, leaseUntil });
 * ```
 */
export function transitionRun<
  TState extends StatesOf<ScenarioRunMachineConfig>,
  TEvent extends EventsFrom<ScenarioRunMachineConfig, TState>,
>(
  run: ScenarioRunIn<TState>,
  event: TEvent,
  context: RunTransitionContext,
  fields: RunFieldsFor<RunTarget<TState, TEvent>>,
): { next: ScenarioRunIn<RunTarget<TState, TEvent>>; effects: ScenarioRunEffect[] } {
  const to = scenarioRunMachine.tryNext(run.status, event as ScenarioRunEvent);
  if (to === undefined)
    throw new IllegalTransitionError({ machine: 'scenario-run', from: run.status, event, id: run.id });
  const kept: Record<string, unknown> = {};
  for (const key of RUN_BASE_KEYS) if (run[key] !== undefined) kept[key] = run[key];
  const next = { ...kept, ...fields, status: to, updatedAt: context.at } as unknown as ScenarioRun;
  return { next: next as never, effects: runEffects(next, run.status, context) };
}

/**
 * The effects of a run entering its state (`from` `null`: it was just queued).
 *
 * @example
 * ```ts
 * for (const effect of runEffects(queued, null, { at, actor })) apply(effect);
 * ```
 */
export function runEffects(
  run: ScenarioRun,
  from: ScenarioRunStatus | null,
  context: RunTransitionContext,
): ScenarioRunEffect[] {
  const outcome = scenarioRunMachine.isTerminal(run.status) ? { outcome: run.status } : {};
  const draft: JournalDraft = {
    at: context.at,
    actor: context.actor,
    type: 'scenario.run',
    subject: { kind: 'scenario-run', id: run.id },
    ...(run.environment === undefined ? {} : { environment: run.environment }),
    ...(run.deploymentId === undefined ? {} : { deploymentId: run.deploymentId }),
    ...(context.reason === undefined ? {} : { reason: context.reason }),
    data: { scenario: run.scenario, from, to: run.status, trigger: run.trigger.kind, depth: run.depth, ...outcome },
  };
  const reason = context.reason === undefined ? {} : { reason: context.reason };
  return [
    { type: 'persist', kind: 'scenario-run', id: run.id, value: run },
    { type: 'journal', draft },
    { type: 'emit', name: 'scenario.run', payload: { run, from, to: run.status, actor: context.actor, ...reason } },
  ];
}

type StepKey = 'index' | 'key' | 'type' | 'attempts' | 'logs' | 'status';
/**
 * The fields a step's target state needs beyond the shared ones; `attempts` and `logs` may be replaced.
 *
 * @example
 * ```ts
 * const fields: StepFieldsFor<'skipped'> = { reason: 'an earlier step failed' };
 * ```
 */
export type StepFieldsFor<TStatus extends StepStatus> = Omit<StepReportIn<TStatus>, StepKey> &
  Partial<Pick<StepReportIn<TStatus>, 'attempts' | 'logs'>>;

/**
 * The status a legal step event leads to.
 *
 * @example
 * ```ts
 * type T = StepTarget<'running', 'retry'>; // 'retrying'
 * ```
 */
export type StepTarget<
  TState extends StatesOf<ScenarioStepMachineConfig>,
  TEvent extends EventsFrom<ScenarioStepMachineConfig, TState>,
> = Extract<TargetOf<ScenarioStepMachineConfig, TState, TEvent>, StepStatus>;

/**
 * The pure transition of a step report. Illegal moves do not compile.
 *
 * @example
 * ```ts
 * const running = transitionStep(pending, 'start', { startedAt: at });
 * ```
 */
export function transitionStep<
  TState extends StatesOf<ScenarioStepMachineConfig>,
  TEvent extends EventsFrom<ScenarioStepMachineConfig, TState>,
>(
  step: StepReportIn<TState>,
  event: TEvent,
  fields: StepFieldsFor<StepTarget<TState, TEvent>>,
): StepReportIn<StepTarget<TState, TEvent>> {
  return moveStep(step, event, fields as Record<string, unknown>) as never;
}

/**
 * The same step transition for a move decided at run time; throws `IllegalTransitionError` when
 * the event is not legal in the step's state.
 *
 * @example
 * ```ts
 * const failed = moveStep(step, 'fail', { finishedAt: at, error, countsAs: 'failed', continued: false });
 * ```
 */
export function moveStep(step: StepReport, event: string, fields: Record<string, unknown>): StepReport {
  const to = scenarioStepMachine.tryNext(step.status, event as never);
  if (to === undefined) throw new IllegalTransitionError({ machine: 'scenario-step', from: step.status, event });
  const { index, key, type, attempts, logs } = step;
  return { index, key, type, attempts, logs, ...fields, status: to } as StepReport;
}

/**
 * A step of a run moved from one state to another.
 *
 * @example
 * ```ts
 * railyard.events.on('scenario.step', ({ runId, step, to }: ScenarioStepTransition) => console.log(runId, step.key, to));
 * ```
 */
export interface ScenarioStepTransition {
  /** The run the step belongs to. */
  runId: string;
  /** The run's scenario. */
  scenario: string;
  /** The step's report as it is now, in `to`. */
  step: StepReport;
  /** The state it left. */
  from: StepStatus;
  /** The state it entered. */
  to: StepStatus;
}
