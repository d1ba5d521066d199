import * as z from 'zod';
import { Actor } from './actor.js';
import { Duration, Slug, Timestamp } from './primitives.js';
import type * as T from './scenario-run-types.js';
import { StepDefinition } from './verification.js';

/**
 * What started a run: the trigger kind and id, when it fired, and what it saw (the scheduled
 * instant, the journal entry, the run that ended, the parent run). `verification`: a deployment
 * entered `verifying` and this run is one of its verification scenarios.
 *
 * @example
 * ```ts
 * if (run.trigger.kind === 'schedule') console.log(run.trigger.scheduledFor, run.trigger.catchUp);
 * ```
 * @hidden
 */
export const TriggerFire = z
  .object({
    kind: z.enum(['manual', 'schedule', 'after', 'event', 'poll', 'deployment', 'parent', 'verification']),
    trigger: z.string().optional(),
    at: Timestamp,
    by: Actor.optional(),
    scheduledFor: Timestamp.optional(),
    /** The instant was missed while no engine ran and fired by the catch-up policy. */
    catchUp: z.boolean().optional(),
    /** The journal entry that fired an event, deployment or after trigger. */
    seq: z.number().int().positive().optional(),
    event: z.string().optional(),
    /** The run that ended (after) or that started this one (parent). */
    runId: z.string().optional(),
    /** How many fires the grace delay merged into this run. */
    coalesced: z.number().int().min(2).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    environment: Slug.optional(),
    deploymentId: z.string().optional(),
  })
  .strict() satisfies z.ZodType<T.TriggerFire>;
/** What started a run. */
export type TriggerFire = T.TriggerFire;

/**
 * A step failure as recorded: the message, the error code if it was a Railyard error, and whether it was retryable.
 *
 * @example
 * ```ts
 * if (step.status === 'failed' && !step.error.retryable) console.log(step.error.code, step.error.message);
 * ```
 * @hidden
 */
export const StepError = z
  .object({ message: z.string(), code: z.string().optional(), retryable: z.boolean() })
  .strict() satisfies z.ZodType<T.StepError>;
/** A step failure as recorded. */
export type StepError = T.StepError;

/**
 * One attempt of a step: when it started, how long it took, and its error if it failed.
 *
 * @example
 * ```ts
 * const slowest = Math.max(...step.attempts.map((a: AttemptReport) => a.durationMs ?? 0));
 * ```
 * @hidden
 */
export const AttemptReport = z
  .object({
    attempt: z.number().int().positive(),
    startedAt: Timestamp,
    durationMs: z.number().int().nonnegative().optional(),
    error: StepError.optional(),
    /** The engine running it stopped or lost its lease; the attempt was run again. */
    interrupted: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<T.AttemptReport>;
/** One attempt of a step. */
export type AttemptReport = T.AttemptReport;

/**
 * One line a step logged through `ctx.logger`.
 *
 * @example
 * ```ts
 * for (const line of step.logs) console.log(line.at, line.level, line.message);
 * ```
 * @hidden
 */
export const LogEntry = z
  .object({ at: Timestamp, level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() })
  .strict() satisfies z.ZodType<T.LogEntry>;
/** One line a step logged. */
export type LogEntry = T.LogEntry;

const stepBase = z.object({
  index: z.number().int().nonnegative(),
  key: z.string(),
  type: z.string(),
  attempts: z.array(AttemptReport),
  logs: z.array(LogEntry),
});
const started = stepBase.extend({ startedAt: Timestamp });

/**
 * A step's report inside its run, discriminated on `status` (the step machine's state): attempts
 * with their durations and errors, the output, logs, and what the step waits for.
 *
 * @example
 * ```ts
 * for (const step of run.steps) if (step.status === 'failed') console.log(step.key, step.error.message, step.attempts.length);
 * ```
 * @hidden
 */
export const StepReport = z.discriminatedUnion('status', [
  stepBase.extend({ status: z.literal('pending') }).strict(),
  started
    .extend({
      status: z.literal('running'),
      /** A `railyard/wait` step: when it ends. */
      waitUntil: Timestamp.optional(),
      /** A `railyard/run-scenario` step: the run it waits for, and when it gives up. */
      childRunId: z.string().optional(),
      deadlineAt: Timestamp.optional(),
    })
    .strict(),
  started.extend({ status: z.literal('retrying'), nextAttemptAt: Timestamp, error: StepError }).strict(),
  started
    .extend({
      status: z.literal('succeeded'),
      finishedAt: Timestamp,
      durationMs: z.number().int().nonnegative(),
      output: z.unknown().optional(),
      warning: z.string().optional(),
    })
    .strict(),
  stepBase
    .extend({
      status: z.literal('failed'),
      startedAt: Timestamp.optional(),
      finishedAt: Timestamp,
      durationMs: z.number().int().nonnegative().optional(),
      error: StepError,
      /** What the failure counts as in the run's outcome (`failureAs`). */
      countsAs: z.enum(['failed', 'warning']),
      /** The run went on to later `on-success` steps (`continueOnError`). */
      continued: z.boolean(),
    })
    .strict(),
  stepBase.extend({ status: z.literal('skipped'), reason: z.string() }).strict(),
]) satisfies z.ZodType<T.StepReport>;
/** A step's report inside its run. */
export type StepReport = T.StepReport;
/** A step status. */
export type StepStatus = StepReport['status'];
/** The step report variant for one status. */
export type StepReportIn<TStatus extends StepStatus> = Extract<
  StepReport,
  {
    /** The state. */
    status: TStatus;
  }
>;

/**
 * A request to abort a running run, honoured by the engine that runs it.
 *
 * @example
 * ```ts
 * if (run.status === 'running' && run.abortRequested) console.log('aborting:', run.abortRequested.reason);
 * ```
 * @hidden
 */
export const AbortRequest = z
  .object({ by: Actor, at: Timestamp, reason: z.string().max(2000) })
  .strict() satisfies z.ZodType<T.AbortRequest>;
/** A request to abort a running run. */
export type AbortRequest = T.AbortRequest;

/** Checks an {@link T.InlineDefinition} read from storage. @hidden */
export const InlineDefinition = z
  .object({
    source: z.literal('verification'),
    steps: z.array(StepDefinition).min(1).max(100),
    timeoutMs: Duration.min(1),
  })
  .strict() satisfies z.ZodType<T.InlineDefinition>;
/** The definition a verification run carries. */
export type InlineDefinition = T.InlineDefinition;

const runBase = z.object({
  id: z.string().min(1),
  scenario: Slug,
  /**
   * The scenario revision the run executes (revisions are stored immutably, see `scenarios.revision`);
   * 1 for a run that carries its `definition`.
   */
  revision: z.number().int().positive(),
  /** The definition of a verification run, carried by the run itself (no stored scenario defines it). */
  definition: InlineDefinition.optional(),
  trigger: TriggerFire,
  params: z.record(z.string(), z.unknown()),
  environment: Slug.optional(),
  deploymentId: z.string().optional(),
  /** How many `after` triggers and `run-scenario` steps led to this run. */
  depth: z.number().int().nonnegative(),
  /** Scenarios of the `run-scenario` parents, to refuse cycles. */
  ancestors: z.array(Slug),
  queuedAt: Timestamp,
  updatedAt: Timestamp,
  variables: z.record(z.string(), z.unknown()),
  steps: z.array(StepReport),
});
const runningBase = runBase.extend({
  startedAt: Timestamp,
  deadlineAt: Timestamp,
  owner: z.string(),
  leaseUntil: Timestamp,
  abortRequested: AbortRequest.optional(),
});
const finished = runBase.extend({
  startedAt: Timestamp.optional(),
  finishedAt: Timestamp,
  durationMs: z.number().int().nonnegative().optional(),
  reason: z.string().optional(),
});

/**
 * A scenario run, discriminated on `status` (the scenario-run machine's state). Ids sort by the
 * time the run was queued.
 *
 * @example
 * ```ts
 * const run = await railyard.scenarios.run('smoke', { by: operator });
 * if (run.status === 'failed') console.log(run.reason);
 * ```
 * @hidden
 */
export const ScenarioRun = z.discriminatedUnion('status', [
  runBase.extend({ status: z.literal('queued') }).strict(),
  runningBase.extend({ status: z.literal('running') }).strict(),
  finished.extend({ status: z.literal('succeeded') }).strict(),
  finished.extend({ status: z.literal('warning') }).strict(),
  finished.extend({ status: z.literal('failed') }).strict(),
  finished.extend({ status: z.literal('aborted'), abortedBy: Actor }).strict(),
  finished.extend({ status: z.literal('timed_out') }).strict(),
]) satisfies z.ZodType<T.ScenarioRun>;
/** A scenario run. */
export type ScenarioRun = T.ScenarioRun;
/** A run status. */
export type ScenarioRunStatus = ScenarioRun['status'];
/** The run variant for one status. */
export type ScenarioRunIn<TStatus extends ScenarioRunStatus> = Extract<
  ScenarioRun,
  {
    /** The state. */
    status: TStatus;
  }
>;

/** The durable state of one trigger: its fingerprint (state resets when the trigger changes) and clocks. @internal */
export const TriggerState = z
  .object({
    fingerprint: z.string(),
    /** Schedule: the last instant fired or skipped. */
    lastFiredAt: Timestamp.optional(),
    /** Poll: when the poll function was last called. */
    lastPolledAt: Timestamp.optional(),
    /** Journal-driven triggers (after, event, deployment) only see entries after this sequence number. */
    sinceSeq: z.number().int().nonnegative().optional(),
  })
  .strict();

/**
 * A scenario's lane: its queue and running runs (moved only by compare-and-swap, which enforces
 * the concurrency policy), its triggers' durable state, and fires waiting out the grace delay.
 * @internal
 * @hidden
 */
export const ScenarioLane = z
  .object({
    scenario: Slug,
    queued: z.array(z.string()),
    running: z.array(z.string()),
    triggers: z.record(z.string(), TriggerState),
    pending: z
      .object({ dueAt: Timestamp, fires: z.array(TriggerFire).min(1), depth: z.number().int().nonnegative() })
      .strict()
      .optional(),
    last: z.object({ runId: z.string(), status: z.string(), finishedAt: Timestamp }).strict().optional(),
  })
  .strict();
/** @internal */
export type ScenarioLane = z.output<typeof ScenarioLane>;

/**
 * An environment's verification runs waiting to start and running (one at a time, in the order
 * the verifying deployment queued them). Moved only by compare-and-swap. @internal
 */
export const VerificationLane = z
  .object({ environment: Slug, queued: z.array(z.string()), running: z.array(z.string()) })
  .strict();
/** @internal */
export type VerificationLane = z.output<typeof VerificationLane>;

/** How far journal-driven triggers have read the journal. @internal */
export const JournalCursor = z.object({ seq: z.number().int().nonnegative() }).strict();
