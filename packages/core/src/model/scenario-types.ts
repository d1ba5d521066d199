// Scenario definitions as named interfaces; the schemas in scenario.ts and scenario-trigger.ts are
// checked against them (`satisfies` there, exact equality in test/model/scenario-types.test-d.ts).
import type { Actor } from './environment-types.js';

/**
 * How a finished scenario run ended.
 *
 * @example
 * ```ts
 * const reporter: ScenarioReporterInput = { on: 'end', when: ['failed', 'timed_out'] };
 * ```
 */
export type RunOutcome = 'succeeded' | 'warning' | 'failed' | 'aborted' | 'timed_out';

/**
 * The outcome of a run so far, as run conditions see it.
 *
 * @example
 * ```ts
 * const step: ScenarioStepInput = { type: 'alert', when: { outcomeIs: ['failed'] } };
 * ```
 */
export type OutcomeSoFar = 'succeeded' | 'warning' | 'failed';

/**
 * When a step runs: `on-success` (default: no earlier step stopped the run), `on-failure` (the
 * outcome so far is `failed`), `always`, `never`, `{ outcomeIs: [...] }`, or `{ predicate: name }`
 * (a host function registered with `scenarios.registerCondition`).
 *
 * @example
 * ```ts
 * const cleanup: RunCondition = 'always';
 * const alert: RunCondition = { outcomeIs: ['warning', 'failed'] };
 * ```
 */
export type RunCondition =
  | 'on-success'
  | 'on-failure'
  | 'always'
  | 'never'
  | {
      /** The step runs when the outcome so far is one of these. */
      outcomeIs: OutcomeSoFar[];
    }
  | {
      /** The name of a host condition (`scenarios.registerCondition`); the step runs when it answers `true`. */
      predicate: string;
    };

/**
 * One step of a scenario as callers write it: a step type by name (host-registered, or a
 * `railyard/…` built-in), its params, when it runs, its retries (only retryable errors; delay
 * `retryDelayMs × backoffFactor^n`, capped, waited on the clock), its per-attempt timeout, and what
 * its failure means: `continueOnError` lets later `on-success` steps run (the run still fails),
 * `failureAs: 'warning'` counts the failure as a warning.
 *
 * @example
 * ```ts
 * const step: ScenarioStepInput = { name: 'train', type: 'train-model', params: { epochs: 3 }, retries: 2, timeoutMs: 600_000 };
 * ```
 */
export interface ScenarioStepInput {
  /** Names the step in outputs and reports (a slug); defaults to `#` and its 1-based position. */
  name?: string;
  /** The step type: a host-registered name or a `railyard/…` built-in. */
  type: string;
  /** What the step receives (default `{}`). */
  params?: Record<string, unknown>;
  /** When the step runs (default `on-success`). */
  when?: RunCondition;
  /** How many times a retryable failure is retried (0–20, default 0). */
  retries?: number;
  /** The first retry's delay in ms (default 1000). */
  retryDelayMs?: number;
  /** Each further retry waits this many times longer (1–10, default 2). */
  backoffFactor?: number;
  /** The longest delay between retries in ms (default 5 minutes). */
  maxRetryDelayMs?: number;
  /** How long one attempt may take in ms (default 60 000). */
  timeoutMs?: number;
  /** Later `on-success` steps still run after this step fails (default `false`); the run still fails. */
  continueOnError?: boolean;
  /** What the step's failure counts as (default `failed`). */
  failureAs?: 'failed' | 'warning';
}

/**
 * One step of a scenario, with its defaults filled in. See {@link ScenarioStepInput}.
 *
 * @example
 * ```ts
 * const record = await railyard.scenarios.get('nightly-refresh');
 * for (const step of record?.definition.steps ?? []) console.log(step.type, step.retries, step.timeoutMs);
 * ```
 */
export interface ScenarioStep extends ScenarioStepInput {
  params: Record<string, unknown>;
  when: RunCondition;
  retries: number;
  retryDelayMs: number;
  backoffFactor: number;
  maxRetryDelayMs: number;
  timeoutMs: number;
  continueOnError: boolean;
  failureAs: 'failed' | 'warning';
}

/**
 * A message sent through the notifiers when a run starts, or ends with one of `when`'s outcomes.
 * `channel` travels with it so that notifiers can route; `message` may use `{scenario}`, `{run}`,
 * `{outcome}`, `{trigger}`, `{reason}` and `{environment}`.
 *
 * @example
 * ```ts
 * const onFailure: ScenarioReporter = { on: 'end', when: ['failed', 'timed_out'], channel: 'oncall' };
 * ```
 */
export interface ScenarioReporter {
  /** Names the reporter (a slug). */
  id?: string;
  /** Report when the run starts, or when it ends. */
  on: 'start' | 'end';
  /** Only for `end`: report only these outcomes (default: every outcome). */
  when?: RunOutcome[];
  /** Where notifiers should route the message. */
  channel?: string;
  /** The message template; defaults to a summary of the run. */
  message?: string;
}

/**
 * A reporter as callers write it (the same shape: a reporter has no defaults).
 *
 * @example
 * ```ts
 * const onStart: ScenarioReporterInput = { on: 'start', channel: 'deploys' };
 * ```
 */
export type ScenarioReporterInput = ScenarioReporter;

/**
 * What happens when a run is due while others are queued or running: `queue` (one at a time, in
 * order), `skip` (drop it, journaled), `replace` (abort the others, run the new one), `parallel`
 * (up to `max` at once; more wait in the queue).
 *
 * @example
 * ```ts
 * const policy: ConcurrencyPolicy = { policy: 'parallel', max: 4 };
 * ```
 */
export type ConcurrencyPolicy =
  | {
      /** One run at a time, in order. */
      policy: 'queue';
    }
  | {
      /** A run due while another is queued or running is dropped (journaled). */
      policy: 'skip';
    }
  | {
      /** A new run aborts the others. */
      policy: 'replace';
    }
  | {
      /** Up to `max` runs at once; more wait in the queue. */
      policy: 'parallel';
      /** The most runs at once (1–100). */
      max: number;
    };

/** What every trigger may carry. */
interface TriggerCommon {
  /** Names the trigger in runs and in its durable state (a slug); defaults to `t<index>`. */
  id?: string;
  /** Params every run this trigger fires receives (default `{}`). */
  params?: Record<string, unknown>;
}

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
 */
export interface ScheduleTrigger extends TriggerCommon {
  /** A schedule trigger. */
  kind: 'schedule';
  /** A cron expression of five or six fields. */
  cron: string;
  /** An IANA time zone such as `Europe/Paris` (default `UTC`). */
  timezone?: string;
  /** What to do with instants missed while no engine ran (default `none`). */
  catchUp?: 'none' | 'latest' | 'all';
  /** How late in ms an instant may fire and still count as on time (default 60 000). */
  lateToleranceMs?: number;
  /** With `catchUp: 'all'`, the most missed instants run (default 100). */
  maxCatchUp?: number;
}

/**
 * Fires when another scenario's run ends, optionally only on some outcomes.
 *
 * @example
 * ```ts
 * const t: AfterScenarioTrigger = { kind: 'after', scenario: 'ingest', outcomes: ['succeeded', 'warning'] };
 * ```
 */
export interface AfterScenarioTrigger extends TriggerCommon {
  /** An after-scenario trigger. */
  kind: 'after';
  /** The scenario whose runs' ends fire this one. */
  scenario: string;
  /** Fire only on these outcomes (default: every outcome). */
  outcomes?: RunOutcome[];
}

/**
 * Fires on journal entries whose type matches one of `types` (exact, or a prefix ending in `*`,
 * e.g. `bundle.*`), optionally only in one environment.
 *
 * @example
 * ```ts
 * const t: EventTrigger = { kind: 'event', types: ['bundle.created'], environment: 'production' };
 * ```
 */
export interface EventTrigger extends TriggerCommon {
  /** A journal-event trigger. */
  kind: 'event';
  /** Journal entry types: exact, or a prefix ending in `*`. */
  types: string[];
  /** Only entries about this environment. */
  environment?: string;
}

/**
 * Calls a host poll function (registered with `scenarios.registerPoll`) every `intervalMs`; it fires
 * a run when the function answers `true` or `{ params }`.
 *
 * @example
 * ```ts
 * const t: PollTrigger = { kind: 'poll', poll: 'new-files', intervalMs: 5 * 60_000 };
 * ```
 */
export interface PollTrigger extends TriggerCommon {
  /** A poll trigger. */
  kind: 'poll';
  /** The name of the host poll function. */
  poll: string;
  /** How often it is called, in ms. */
  intervalMs: number;
}

/**
 * The deployment states a lifecycle trigger can follow.
 *
 * @example
 * ```ts
 * const trigger: DeploymentTrigger = { kind: 'deployment', on: ['rolled_back'] };
 * ```
 */
export type LifecycleState = 'activating' | 'verifying' | 'active' | 'rolling_back' | 'rolled_back' | 'failed';

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
 */
export interface DeploymentTrigger extends TriggerCommon {
  /** A deployment-lifecycle trigger. */
  kind: 'deployment';
  /** The states whose entry fires it. */
  on: LifecycleState[];
  /** Only deployments into this environment. */
  environment?: string;
}

/**
 * A trigger as callers write it (manual runs need no trigger).
 *
 * @example
 * ```ts
 * const triggers: ScenarioTriggerInput[] = [{ kind: 'schedule', cron: '*\/15 * * * *' }, { kind: 'after', scenario: 'ingest' }];
 * ```
 */
export type ScenarioTriggerInput =
  | ScheduleTrigger
  | AfterScenarioTrigger
  | EventTrigger
  | PollTrigger
  | DeploymentTrigger;

/** The defaults every parsed trigger has filled in. */
interface ParsedCommon {
  params: Record<string, unknown>;
}

/**
 * A {@link ScheduleTrigger} with its defaults filled in.
 *
 * @example
 * ```ts
 * const trigger = record?.definition.triggers[0];
 * if (trigger?.kind === 'schedule') console.log(trigger.timezone, trigger.catchUp);
 * ```
 */
export interface ParsedScheduleTrigger extends ScheduleTrigger {
  params: Record<string, unknown>;
  timezone: string;
  catchUp: 'none' | 'latest' | 'all';
  lateToleranceMs: number;
  maxCatchUp: number;
}

/**
 * What starts a scenario on its own, as stored: defaults filled in.
 *
 * @example
 * ```ts
 * const record = await railyard.scenarios.get('nightly-refresh');
 * const kinds = record?.definition.triggers.map((t: ScenarioTrigger) => t.kind);
 * ```
 */
export type ScenarioTrigger =
  | ParsedScheduleTrigger
  | (AfterScenarioTrigger & ParsedCommon)
  | (EventTrigger & ParsedCommon)
  | (PollTrigger & ParsedCommon)
  | (DeploymentTrigger & ParsedCommon);

/**
 * A scenario as callers write it (defaults may be omitted): triggers, ordered steps, reporters, a
 * concurrency policy and an overall timeout. Definitions are data (they may come from a bundle);
 * step types, predicates and polls are code the host registers, referred to by name.
 *
 * @example
 * ```ts
 * await railyard.scenarios.define({
 *   id: 'nightly-refresh',
 *   triggers: [{ kind: 'schedule', cron: '0 2 * * *', timezone: 'Europe/Paris' }],
 *   steps: [{ name: 'refresh', type: 'refresh-tables' }, { type: 'railyard/check-monitors', when: 'always' }],
 *   reporters: [{ on: 'end', when: ['failed'], channel: 'oncall' }],
 * }, { by: operator });
 * ```
 */
export interface ScenarioInput {
  /** The scenario's id (a slug). */
  id: string;
  /** What the scenario is for. */
  description?: string;
  /** What starts it on its own (default none: manual runs only). */
  triggers?: ScenarioTriggerInput[];
  /** The steps, in order (1–100). */
  steps: ScenarioStepInput[];
  /** Messages sent when runs start or end (default none). */
  reporters?: ScenarioReporterInput[];
  /** What happens when a run is due while others are queued or running (default `queue`). */
  concurrency?: ConcurrencyPolicy;
  /** How long a run may take from start to end, in ms; past it the run ends `timed_out` (default 1 hour). */
  timeoutMs?: number;
  /** Triggers that fire within this delay (ms) of the first one start a single run (default 0). */
  graceMs?: number;
  /** The most runs that may wait in the queue; further fires are skipped, journaled (default 100). */
  maxQueued?: number;
  /** Scenario variables every run starts with; steps may set more (default `{}`). */
  variables?: Record<string, unknown>;
  /** The environment runs act on unless the trigger or the caller names one. */
  environment?: string;
}

/**
 * A scenario definition with its defaults filled in. See {@link ScenarioInput}.
 *
 * @example
 * ```ts
 * const scenario: Scenario | undefined = (await railyard.scenarios.get('nightly-refresh'))?.definition;
 * ```
 */
export interface Scenario extends ScenarioInput {
  triggers: ScenarioTrigger[];
  steps: ScenarioStep[];
  reporters: ScenarioReporter[];
  concurrency: ConcurrencyPolicy;
  timeoutMs: number;
  graceMs: number;
  maxQueued: number;
  variables: Record<string, unknown>;
}

/**
 * A stored scenario: its definition, a revision that grows with each `define`, and who defined it.
 *
 * @example
 * ```ts
 * const record = await railyard.scenarios.get('nightly-refresh');
 * console.log(record?.revision, record?.definedBy.id);
 * ```
 */
export interface ScenarioRecord {
  /** The definition, defaults filled in. */
  definition: Scenario;
  /** Grows by one with each `define`. */
  revision: number;
  /** When this revision was defined (ISO time). */
  definedAt: string;
  /** Who defined it. */
  definedBy: Actor;
}
