import * as z from 'zod';
import { Actor } from './actor.js';
import { Duration, Slug, Timestamp } from './primitives.js';
import { RunOutcome, ScenarioTrigger, triggerId } from './scenario-trigger.js';
import type * as T from './scenario-types.js';

/**
 * The outcome of a run so far, as run conditions see it.
 *
 * @example
 * ```ts
 * const step: ScenarioStepInput = { type: 'alert', when: { outcomeIs: [OutcomeSoFar.enum.failed] } };
 * ```
 * @hidden
 */
export const OutcomeSoFar = z.enum(['succeeded', 'warning', 'failed']) satisfies z.ZodType<T.OutcomeSoFar>;
/** The outcome of a run so far. */
export type OutcomeSoFar = T.OutcomeSoFar;

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
 * @hidden
 */
export const RunCondition = z.union([
  z.enum(['on-success', 'on-failure', 'always', 'never']),
  z.object({ outcomeIs: z.array(OutcomeSoFar).min(1) }).strict(),
  z.object({ predicate: z.string().min(1).max(200) }).strict(),
]) satisfies z.ZodType<T.RunCondition>;
/** When a step runs. */
export type RunCondition = T.RunCondition;

/**
 * One step of a scenario: a step type by name (host-registered, or a `railyard/…` built-in), its
 * params, when it runs, its retries (only retryable errors; delay `retryDelayMs × backoffFactor^n`,
 * capped, waited on the clock), its per-attempt timeout, and what its failure means:
 * `continueOnError` lets later `on-success` steps run (the run still fails), `failureAs: 'warning'`
 * counts the failure as a warning.
 *
 * @example
 * ```ts
 * const step: ScenarioStepInput = { name: 'train', type: 'train-model', params: { epochs: 3 }, retries: 2, timeoutMs: 600_000 };
 * ```
 * @hidden
 */
export const ScenarioStep = z
  .object({
    name: Slug.optional(),
    type: z.string().min(1).max(200),
    params: z.record(z.string(), z.unknown()).default({}),
    when: RunCondition.default('on-success'),
    retries: z.number().int().min(0).max(20).default(0),
    retryDelayMs: Duration.default(1000),
    backoffFactor: z.number().min(1).max(10).default(2),
    maxRetryDelayMs: Duration.default(5 * 60_000),
    timeoutMs: Duration.min(1).default(60_000),
    continueOnError: z.boolean().default(false),
    failureAs: z.enum(['failed', 'warning']).default('failed'),
  })
  .strict() satisfies z.ZodType<T.ScenarioStep, T.ScenarioStepInput>;
/** One step of a scenario. */
export type ScenarioStep = T.ScenarioStep;
/** A step as callers write it. */
export type ScenarioStepInput = T.ScenarioStepInput;

/**
 * A message sent through the notifiers when a run starts, or ends with one of `when`'s outcomes.
 * `channel` travels with it so that notifiers can route; `message` may use `{scenario}`, `{run}`,
 * `{outcome}`, `{trigger}`, `{reason}` and `{environment}`.
 *
 * @example
 * ```ts
 * const onFailure: ScenarioReporterInput = { on: 'end', when: ['failed', 'timed_out'], channel: 'oncall' };
 * ```
 * @hidden
 */
export const ScenarioReporter = z
  .object({
    id: Slug.optional(),
    on: z.enum(['start', 'end']),
    when: z.array(RunOutcome).min(1).optional(),
    channel: z.string().min(1).max(200).optional(),
    message: z.string().min(1).max(2000).optional(),
  })
  .strict()
  .refine((r) => r.on === 'end' || r.when === undefined, {
    message: 'only "end" reporters take a "when" condition on the outcome',
    path: ['when'],
  }) satisfies z.ZodType<T.ScenarioReporter, T.ScenarioReporterInput>;
/** A message sent when a run starts or ends. */
export type ScenarioReporter = T.ScenarioReporter;
/** A reporter as callers write it. */
export type ScenarioReporterInput = T.ScenarioReporterInput;

/**
 * What happens when a run is due while others are queued or running: `queue` (one at a time, in
 * order), `skip` (drop it, journaled), `replace` (abort the others, run the new one), `parallel`
 * (up to `max` at once; more wait in the queue).
 *
 * @example
 * ```ts
 * const policy: ConcurrencyPolicy = { policy: 'parallel', max: 4 };
 * ```
 * @hidden
 */
export const ConcurrencyPolicy = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('queue') }).strict(),
  z.object({ policy: z.literal('skip') }).strict(),
  z.object({ policy: z.literal('replace') }).strict(),
  z.object({ policy: z.literal('parallel'), max: z.number().int().min(1).max(100) }).strict(),
]) satisfies z.ZodType<T.ConcurrencyPolicy>;
/** What happens when a run is due while others are queued or running. */
export type ConcurrencyPolicy = T.ConcurrencyPolicy;

/**
 * A scenario: triggers, ordered steps, reporters, a concurrency policy and an overall timeout.
 * Definitions are data (they may come from a bundle); step types, predicates and polls are code the
 * host registers, referred to by name.
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
 * @hidden
 */
export const Scenario = z
  .object({
    id: Slug,
    description: z.string().max(2000).optional(),
    triggers: z.array(ScenarioTrigger).max(50).default([]),
    steps: z.array(ScenarioStep).min(1).max(100),
    reporters: z.array(ScenarioReporter).max(20).default([]),
    concurrency: ConcurrencyPolicy.default({ policy: 'queue' }),
    /** How long a run may take from start to end; past it the run ends `timed_out`. */
    timeoutMs: Duration.min(1).default(60 * 60_000),
    /** Triggers that fire within this delay of the first one start a single run. */
    graceMs: Duration.default(0),
    /** The most runs that may wait in the queue; further fires are skipped (journaled). */
    maxQueued: z.number().int().min(1).max(1000).default(100),
    /** Scenario variables every run starts with; steps may set more. */
    variables: z.record(z.string(), z.unknown()).default({}),
    /** The environment runs act on unless the trigger or the caller names one. */
    environment: Slug.optional(),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    const names = new Set<string>();
    scenario.steps.forEach((step, index) => {
      if (step.name === undefined) return;
      if (names.has(step.name))
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'name'], message: `duplicate step name "${step.name}"` });
      names.add(step.name);
    });
    const ids = new Set<string>();
    scenario.triggers.forEach((trigger, index) => {
      const id = triggerId(trigger, index);
      if (ids.has(id))
        ctx.addIssue({ code: 'custom', path: ['triggers', index, 'id'], message: `duplicate trigger id "${id}"` });
      ids.add(id);
      if (trigger.kind === 'after' && trigger.scenario === scenario.id)
        ctx.addIssue({
          code: 'custom',
          path: ['triggers', index, 'scenario'],
          message: 'a scenario cannot trigger itself after it ends (that would loop); use a schedule instead',
        });
    });
  }) satisfies z.ZodType<T.Scenario, T.ScenarioInput>;
/** A scenario definition. */
export type Scenario = T.Scenario;
/** A scenario definition as callers write it (defaults may be omitted). */
export type ScenarioInput = T.ScenarioInput;

/**
 * A stored scenario: its definition, a revision that grows with each `define`, and who defined it.
 *
 * @example
 * ```ts
 * const record = await railyard.scenarios.get('nightly-refresh');
 * console.log(record?.revision, record?.definedBy.id);
 * ```
 * @hidden
 */
export const ScenarioRecord = z
  .object({ definition: Scenario, revision: z.number().int().positive(), definedAt: Timestamp, definedBy: Actor })
  .strict() satisfies z.ZodType<T.ScenarioRecord>;
/** A stored scenario. */
export type ScenarioRecord = T.ScenarioRecord;

/** A step's key in `outputs` and reports: its name, or `#` and its 1-based position. @internal */
export function stepKey(step: ScenarioStep, index: number): string {
  return step.name ?? `#${index + 1}`;
}
