import * as z from 'zod';
import { cronProblem } from './cron.js';
import { Duration, Slug } from './primitives.js';
import type * as T from './scenario-types.js';

/**
 * How a finished scenario run ended.
 *
 * @example
 * ```ts
 * const reporter = { on: 'end', when: [RunOutcome.enum.failed, RunOutcome.enum.timed_out] };
 * ```
 * @hidden
 */
export const RunOutcome = z.enum([
  'succeeded',
  'warning',
  'failed',
  'aborted',
  'timed_out',
]) satisfies z.ZodType<T.RunOutcome>;
/** How a finished scenario run ended. */
export type RunOutcome = T.RunOutcome;

const Params = z.record(z.string(), z.unknown()).default({});
const common = {
  /** Names the trigger in runs and in its durable state; defaults to `t<index>`. */
  id: Slug.optional(),
  /** Params every run this trigger fires receives. */
  params: Params,
};

/**
 * Fires on a cron expression in a time zone (via croner; times are computed from the injected
 * clock). Instants missed while no engine ran are handled by `catchUp`: `none` skips them, `latest`
 * runs once for the most recent, `all` runs each (at most `maxCatchUp`); every skipped instant is
 * journaled. An instant at most `lateToleranceMs` late is on time, not missed.
 *
 * @example
 * ```ts
 * const nightly: ScheduleTrigger = { kind: 'schedule', cron: '0 2 * * *', timezone: 'Europe/Paris', catchUp: 'latest' };
 * ```
 * @hidden
 */
export const ScheduleTrigger = z
  .object({
    kind: z.literal('schedule'),
    ...common,
    cron: z.string().min(1).max(200),
    timezone: z.string().min(1).max(100).default('UTC'),
    catchUp: z.enum(['none', 'latest', 'all']).default('none'),
    lateToleranceMs: Duration.default(60_000),
    maxCatchUp: z.number().int().min(1).max(1000).default(100),
  })
  .strict()
  .superRefine((trigger, ctx) => {
    const problem = cronProblem(trigger.cron, trigger.timezone);
    if (problem === undefined) return;
    ctx.addIssue({
      code: 'custom',
      path: ['cron'],
      message: `"${trigger.cron}" in time zone "${trigger.timezone}" is not usable: ${problem}. Use five or six cron fields and an IANA zone such as "Europe/Paris".`,
    });
  }) satisfies z.ZodType<T.ParsedScheduleTrigger, T.ScheduleTrigger>;
/** Fires on a cron expression in a time zone. */
export type ScheduleTrigger = T.ScheduleTrigger;

/**
 * Fires when another scenario's run ends, optionally only on some outcomes.
 *
 * @example
 * ```ts
 * const t: AfterScenarioTrigger = { kind: 'after', scenario: 'ingest', outcomes: ['succeeded', 'warning'] };
 * ```
 * @hidden
 */
export const AfterScenarioTrigger = z
  .object({ kind: z.literal('after'), ...common, scenario: Slug, outcomes: z.array(RunOutcome).min(1).optional() })
  .strict() satisfies z.ZodType<T.AfterScenarioTrigger, T.AfterScenarioTrigger>;
/** Fires when another scenario's run ends. */
export type AfterScenarioTrigger = T.AfterScenarioTrigger;

/**
 * Fires on journal entries whose type matches one of `types` (exact, or a prefix ending in `*`,
 * e.g. `bundle.*`), optionally only in one environment.
 *
 * @example
 * ```ts
 * const t: EventTrigger = { kind: 'event', types: ['bundle.created'], environment: 'production' };
 * ```
 * @hidden
 */
export const EventTrigger = z
  .object({
    kind: z.literal('event'),
    ...common,
    types: z.array(z.string().min(1).max(100)).min(1).max(50),
    environment: Slug.optional(),
  })
  .strict() satisfies z.ZodType<T.EventTrigger, T.EventTrigger>;
/** Fires on journal entries matching a filter. */
export type EventTrigger = T.EventTrigger;

/**
 * Calls a host poll function (registered with `scenarios.registerPoll`) every `intervalMs`; it fires
 * a run when the function answers `true` or `{ params }`.
 *
 * @example
 * ```ts
 * const t: PollTrigger = { kind: 'poll', poll: 'new-files', intervalMs: 5 * 60_000 };
 * ```
 * @hidden
 */
export const PollTrigger = z
  .object({ kind: z.literal('poll'), ...common, poll: z.string().min(1).max(200), intervalMs: Duration.min(1) })
  .strict() satisfies z.ZodType<T.PollTrigger, T.PollTrigger>;
/** Calls a host poll function on an interval. */
export type PollTrigger = T.PollTrigger;

/**
 * The deployment states a lifecycle trigger can follow.
 *
 * @example
 * ```ts
 * const trigger: DeploymentTrigger = { kind: 'deployment', on: [LifecycleState.enum.rolled_back] };
 * ```
 */
export const LifecycleState = z.enum([
  'activating',
  'verifying',
  'active',
  'rolling_back',
  'rolled_back',
  'failed',
]) satisfies z.ZodType<T.LifecycleState>;

/**
 * Fires when a deployment enters one of the states in `on` (`activating`: before activation
 * completes; `verifying`: during verification; `rolled_back`: after a rollback), optionally in one
 * environment. Runs receive the environment and the deployment id. A run does not hold the
 * deployment back: gates belong to the environment's verification.
 *
 * @example
 * ```ts
 * const t: DeploymentTrigger = { kind: 'deployment', on: ['rolled_back'], environment: 'production' };
 * ```
 * @hidden
 */
export const DeploymentTrigger = z
  .object({
    kind: z.literal('deployment'),
    ...common,
    on: z.array(LifecycleState).min(1),
    environment: Slug.optional(),
  })
  .strict() satisfies z.ZodType<T.DeploymentTrigger, T.DeploymentTrigger>;
/** Fires when a deployment enters a lifecycle state. */
export type DeploymentTrigger = T.DeploymentTrigger;

/**
 * What starts a scenario on its own (manual runs need no trigger).
 *
 * @example
 * ```ts
 * const triggers: ScenarioTrigger[] = [{ kind: 'schedule', cron: '*\/15 * * * *' }, { kind: 'after', scenario: 'ingest' }];
 * ```
 * @hidden
 */
export const ScenarioTrigger = z.discriminatedUnion('kind', [
  ScheduleTrigger,
  AfterScenarioTrigger,
  EventTrigger,
  PollTrigger,
  DeploymentTrigger,
]) satisfies z.ZodType<T.ScenarioTrigger, T.ScenarioTriggerInput>;
/** What starts a scenario on its own. */
export type ScenarioTrigger = T.ScenarioTrigger;
/** A trigger as callers write it. */
export type ScenarioTriggerInput = T.ScenarioTriggerInput;

/** The id a trigger is known by: its own, or `t<index>`. @internal */
export function triggerId(trigger: ScenarioTrigger, index: number): string {
  return trigger.id ?? `t${index}`;
}
