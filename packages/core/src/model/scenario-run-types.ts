import type { Actor } from './environment-types.js';
import type { StepDefinition } from './verification.js';

// Scenario runs and step reports as named interfaces; the schemas in scenario-run.ts are checked
// against them (`satisfies` there, exact equality in test/model/records.test-d.ts).

/**
 * What started a run: the trigger kind and id, when it fired, and what it saw (the scheduled
 * instant, the journal entry, the run that ended, the parent run).
 *
 * @example
 * ```ts
 * if (run.trigger.kind === 'schedule') console.log(run.trigger.scheduledFor, run.trigger.catchUp);
 * ```
 */
export interface TriggerFire {
  /** What kind of trigger fired (`manual` for `scenarios.run`, `parent` for a `run-scenario` step). */
  kind: 'manual' | 'schedule' | 'after' | 'event' | 'poll' | 'deployment' | 'parent' | 'verification';
  /** The trigger's id in the scenario. */
  trigger?: string;
  /** When it fired. */
  at: string;
  /** Who started a manual run. */
  by?: Actor;
  /** A schedule trigger: the instant it fired for. */
  scheduledFor?: string;
  /** The instant was missed while no engine ran and fired by the catch-up policy. */
  catchUp?: boolean;
  /** The journal entry that fired an event, deployment or after trigger. */
  seq?: number;
  /** The journal entry's type. */
  event?: string;
  /** The run that ended (after) or that started this one (parent). */
  runId?: string;
  /** How many fires the grace delay merged into this run. */
  coalesced?: number;
  /** Parameters the fire passed to the run. */
  params: Record<string, unknown>;
  /** The environment the fire concerns. */
  environment?: string;
  /** The deployment the fire concerns. */
  deploymentId?: string;
}

/**
 * A step failure as recorded: the message, the error code if it was a Railyard error, and whether it was retryable.
 *
 * @example
 * ```ts
 * if (step.status === 'failed' && !step.error.retryable) console.log(step.error.code, step.error.message);
 * ```
 */
export interface StepError {
  /** What went wrong. */
  message: string;
  /** The `RailyardError` code, if it was one. */
  code?: string;
  /** Whether another attempt could succeed. */
  retryable: boolean;
}

/**
 * One attempt of a step: when it started, how long it took, and its error if it failed.
 *
 * @example
 * ```ts
 * const slowest = Math.max(...step.attempts.map((a: AttemptReport) => a.durationMs ?? 0));
 * ```
 */
export interface AttemptReport {
  /** 1 for the first attempt. */
  attempt: number;
  /** When it started. */
  startedAt: string;
  /** How long it took, once it ended. */
  durationMs?: number;
  /** Why it failed. */
  error?: StepError;
  /** The engine running it stopped or lost its lease; the attempt was run again. */
  interrupted?: boolean;
}

/**
 * One line a step logged through `ctx.logger`.
 *
 * @example
 * ```ts
 * for (const line of step.logs) console.log(line.at, line.level, line.message);
 * ```
 */
export interface LogEntry {
  /** When it was logged. */
  at: string;
  /** Its level. */
  level: 'debug' | 'info' | 'warn' | 'error';
  /** What the step said. */
  message: string;
}

/**
 * What every step report carries, whatever its status.
 *
 * @example
 * ```ts
 * const line = (step: StepReportBase) => `${step.index} ${step.key} (${step.type})`;
 * ```
 */
export interface StepReportBase {
  /** Its position in the run. */
  index: number;
  /** Its key in the scenario. */
  key: string;
  /** Its step type. */
  type: string;
  /** Its attempts so far. */
  attempts: AttemptReport[];
  /** What it logged. */
  logs: LogEntry[];
}

/**
 * A step that has not started.
 *
 * @example
 * ```ts
 * const pending = run.steps.filter((step): step is PendingStep => step.status === 'pending');
 * ```
 */
export interface PendingStep extends StepReportBase {
  /** Where it is. */
  status: 'pending';
}

/**
 * A step running now.
 *
 * @example
 * ```ts
 * if (step.status === 'running' && step.waitUntil) console.log('waits until', step.waitUntil);
 * ```
 */
export interface RunningStep extends StepReportBase {
  /** Where it is. */
  status: 'running';
  /** When its first attempt started. */
  startedAt: string;
  /** A `railyard/wait` step: when it ends. */
  waitUntil?: string;
  /** A `railyard/run-scenario` step: the run it waits for. */
  childRunId?: string;
  /** A `railyard/run-scenario` step: when it gives up waiting. */
  deadlineAt?: string;
}

/**
 * A step waiting for its next attempt.
 *
 * @example
 * ```ts
 * if (step.status === 'retrying') console.log('next attempt at', step.nextAttemptAt, 'after', step.error.message);
 * ```
 */
export interface RetryingStep extends StepReportBase {
  /** Where it is. */
  status: 'retrying';
  /** When its first attempt started. */
  startedAt: string;
  /** When the next attempt is due. */
  nextAttemptAt: string;
  /** Why the last attempt failed. */
  error: StepError;
}

/**
 * A step that succeeded (possibly with a warning).
 *
 * @example
 * ```ts
 * if (step.status === 'succeeded') console.log(step.output, step.warning);
 * ```
 */
export interface SucceededStep extends StepReportBase {
  /** Where it is. */
  status: 'succeeded';
  /** When its first attempt started. */
  startedAt: string;
  /** When it ended. */
  finishedAt: string;
  /** How long it took, all attempts included. */
  durationMs: number;
  /** What the step returned. */
  output?: unknown;
  /** Set when it succeeded with a warning. */
  warning?: string;
}

/**
 * A step that failed after its attempts.
 *
 * @example
 * ```ts
 * if (step.status === 'failed') console.log(step.error.message, step.countsAs);
 * ```
 */
export interface FailedStep extends StepReportBase {
  /** Where it is. */
  status: 'failed';
  /** When its first attempt started, if one did. */
  startedAt?: string;
  /** When it ended. */
  finishedAt: string;
  /** How long it took, if it ran. */
  durationMs?: number;
  /** Why it failed. */
  error: StepError;
  /** What the failure counts as in the run's outcome (`failureAs`). */
  countsAs: 'failed' | 'warning';
  /** The run went on to later `on-success` steps (`continueOnError`). */
  continued: boolean;
}

/**
 * A step its run condition skipped.
 *
 * @example
 * ```ts
 * if (step.status === 'skipped') console.log(step.key, 'skipped:', step.reason);
 * ```
 */
export interface SkippedStep extends StepReportBase {
  /** Where it is. */
  status: 'skipped';
  /** Why it was skipped. */
  reason: string;
}

/**
 * A step's report inside its run, discriminated on `status` (the step machine's state): attempts
 * with their durations and errors, the output, logs, and what the step waits for.
 *
 * @example
 * ```ts
 * for (const step of run.steps) if (step.status === 'failed') console.log(step.key, step.error.message, step.attempts.length);
 * ```
 */
export type StepReport = PendingStep | RunningStep | RetryingStep | SucceededStep | FailedStep | SkippedStep;

/**
 * A request to abort a running run, honoured by the engine that runs it.
 *
 * @example
 * ```ts
 * if (run.status === 'running' && run.abortRequested) console.log('aborting:', run.abortRequested.reason);
 * ```
 */
export interface AbortRequest {
  /** Who asked. */
  by: Actor;
  /** When. */
  at: string;
  /** Why. */
  reason: string;
}

/**
 * What every scenario run carries, whatever its status.
 *
 * @example
 * ```ts
 * const line = (run: ScenarioRunBase) => `${run.id} ${run.scenario}@${run.revision}`;
 * ```
 */
export interface ScenarioRunBase {
  /** Its id; ids sort by the time the run was queued. */
  id: string;
  /** The scenario it runs. */
  scenario: string;
  /**
   * The scenario revision the run executes (revisions are stored immutably, see `scenarios.revision`);
   * 1 for a run that carries its `definition`.
   */
  revision: number;
  /** The definition of a verification run, carried by the run itself (no stored scenario defines it). */
  definition?: InlineDefinition;
  /** What started it. */
  trigger: TriggerFire;
  /** Its parameters. */
  params: Record<string, unknown>;
  /** The environment it concerns. */
  environment?: string;
  /** The deployment it verifies, for a verification run. */
  deploymentId?: string;
  /** How many `after` triggers and `run-scenario` steps led to this run. */
  depth: number;
  /** Scenarios of the `run-scenario` parents, to refuse cycles. */
  ancestors: string[];
  /** When it was queued. */
  queuedAt: string;
  /** When it last changed. */
  updatedAt: string;
  /** Variables its steps set for later steps. */
  variables: Record<string, unknown>;
  /** Its steps' reports, in order. */
  steps: StepReport[];
}

/**
 * A run waiting in its scenario's lane.
 *
 * @example
 * ```ts
 * if (run.status === 'queued') console.log('queued at', run.queuedAt);
 * ```
 */
export interface QueuedRun extends ScenarioRunBase {
  /** Where it is. */
  status: 'queued';
}

/**
 * A run an engine is executing.
 *
 * @example
 * ```ts
 * if (run.status === 'running') console.log(run.owner, 'holds it until', run.leaseUntil);
 * ```
 */
export interface RunningRun extends ScenarioRunBase {
  /** Where it is. */
  status: 'running';
  /** When it started. */
  startedAt: string;
  /** When it times out (the scenario's overall timeout). */
  deadlineAt: string;
  /** The engine running it. */
  owner: string;
  /** Until when that engine holds it. */
  leaseUntil: string;
  /** Set when someone asked to abort it. */
  abortRequested?: AbortRequest;
}

/**
 * A run that ended: `succeeded`, `warning`, `failed`, `aborted` or `timed_out`.
 *
 * @example
 * ```ts
 * const ended: FinishedRun<'failed'> = run as FinishedRun<'failed'>;
 * console.log(ended.reason, ended.durationMs);
 * ```
 */
export interface FinishedRun<TStatus extends 'succeeded' | 'warning' | 'failed' | 'timed_out'> extends ScenarioRunBase {
  /** How it ended. */
  status: TStatus;
  /** When it started, if it did. */
  startedAt?: string;
  /** When it ended. */
  finishedAt: string;
  /** How long it ran. */
  durationMs?: number;
  /** Why it ended so. */
  reason?: string;
}

/**
 * A run that was aborted (`scenarios.abort`, or replaced by a newer run).
 *
 * @example
 * ```ts
 * if (run.status === 'aborted') console.log('aborted by', run.abortedBy.id);
 * ```
 */
export interface AbortedRun extends Omit<FinishedRun<'failed'>, 'status'> {
  /** How it ended. */
  status: 'aborted';
  /** Who aborted it. */
  abortedBy: Actor;
}

/**
 * A scenario run, discriminated on `status` (the scenario-run machine's state). Ids sort by the
 * time the run was queued.
 *
 * @example
 * ```ts
 * const run = await railyard.scenarios.run('smoke', { by: operator });
 * if (run.status === 'failed') console.log(run.reason);
 * ```
 */
export type ScenarioRun =
  | QueuedRun
  | RunningRun
  | FinishedRun<'succeeded'>
  | FinishedRun<'warning'>
  | FinishedRun<'failed'>
  | AbortedRun
  | FinishedRun<'timed_out'>;

/**
 * The definition a run carries when no stored scenario defines it: a verification scenario of an
 * environment or a bundle, frozen when the deployment's verification queued the run.
 *
 * @example
 * ```ts
 * if (run.definition) console.log(run.definition.source, run.definition.steps.map((s) => s.type));
 * ```
 */
export interface InlineDefinition {
  /** Where the definition comes from. */
  source: 'verification';
  /** The steps, in order. */
  steps: StepDefinition[];
  /** How long the run may take from start to end (ms). */
  timeoutMs: number;
}
