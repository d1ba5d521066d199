import * as z from 'zod';
import { Duration, Slug } from './primitives.js';
import type * as T from './verification-types.js';

/** One step of a scenario: a host-registered step type, its params, retries and timeout. @hidden */
export const StepDefinition = z
  .object({
    name: z.string().min(1).max(200).optional(),
    type: z.string().min(1).max(200),
    params: z.record(z.string(), z.unknown()).default({}),
    retries: z.number().int().min(0).max(20).default(0),
    /** Delay before the first retry; doubles on each further retry. */
    retryDelayMs: Duration.default(1000),
    timeoutMs: Duration.min(1).default(60_000),
  })
  .strict() satisfies z.ZodType<T.StepDefinition>;
/** One step of a scenario. */
export type StepDefinition = T.StepDefinition;

/** An ordered list of steps run during verification; any failing step fails the scenario. @hidden */
export const ScenarioDefinition = z
  .object({ id: Slug, steps: z.array(StepDefinition).min(1).max(100) })
  .strict() satisfies z.ZodType<T.ScenarioDefinition>;
/** An ordered list of steps run during verification. */
export type ScenarioDefinition = T.ScenarioDefinition;

/**
 * A probe evaluated on the clock: during verification's bake time, and after activation for the
 * watch period. A probe answers a status or a number; numbers are judged by `thresholds`.
 * Hysteresis: `failAfter` consecutive breaches trip the monitor, `clearAfter` passes clear it.
 * @hidden
 */
export const MonitorDefinition = z
  .object({
    id: Slug,
    probe: z.string().min(1).max(200),
    params: z.record(z.string(), z.unknown()).default({}),
    intervalMs: Duration.min(1).default(60_000),
    thresholds: z
      .object({
        warning: z.number().optional(),
        critical: z.number().optional(),
        direction: z.enum(['above', 'below']),
      })
      .strict()
      .refine(
        (t) => t.warning !== undefined || t.critical !== undefined,
        'thresholds need a warning or a critical limit',
      )
      .optional(),
    failAfter: z.number().int().min(1).max(100).default(1),
    clearAfter: z.number().int().min(1).max(100).default(1),
    /** What an inconclusive reading (or a probe that throws) counts as. It never counts as a pass. */
    inconclusiveAs: z.enum(['ignore', 'warning', 'fail']).default('ignore'),
    /** Record readings and status changes, but never fail a verification nor trigger a rollback. */
    shadow: z.boolean().default(false),
  })
  .strict() satisfies z.ZodType<T.MonitorDefinition>;
/** A probe evaluated on the clock during the bake time. */
export type MonitorDefinition = T.MonitorDefinition;

/** How an environment verifies a deployment after activation. @hidden */
export const Verification = z
  .object({
    scenarios: z.array(ScenarioDefinition).default([]),
    monitors: z.array(MonitorDefinition).default([]),
    /** How long monitors watch before a deployment counts as healthy. */
    bakeTimeMs: Duration.default(0),
    /** How long monitors keep watching after a deployment is active; a critical monitor then triggers the rollback policy. */
    watchMs: Duration.default(0),
  })
  .strict() satisfies z.ZodType<T.Verification>;
/** How an environment verifies a deployment after activation. */
export type Verification = T.Verification;
