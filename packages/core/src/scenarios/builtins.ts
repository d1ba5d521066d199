import * as z from 'zod';
import { defineStep, type StepType } from '../contracts/steps.js';
import { CheckFailedError, ValidationError } from '../errors/errors.js';
import { Duration, Slug } from '../model/primitives.js';
import type { HostSchema } from '../model/standard-schema.js';
import type { ScenarioRuntime } from './runtime.js';

/**
 * The names of the built-in steps; host step types cannot use the `railyard/` prefix.
 *
 * @example
 * ```ts
 * const step = { type: BUILTIN_STEPS.wait, params: { ms: 60_000 } };
 * ```
 */
export const BUILTIN_STEPS = {
  runScenario: 'railyard/run-scenario',
  setVariables: 'railyard/set-variables',
  wait: 'railyard/wait',
  checkMonitors: 'railyard/check-monitors',
} as const;

/**
 * Params of `railyard/run-scenario`: the scenario to run (waited for), its params and environment.
 *
 * @example
 * ```ts
 * RunScenarioParams.parse({ scenario: 'ingest', params: { day: '2026-03-02' } });
 * ```
 */
export const RunScenarioParams = z
  .object({ scenario: Slug, params: z.record(z.string(), z.unknown()).default({}), environment: Slug.optional() })
  .strict();
/**
 * Params of `railyard/wait`: how long to wait, on the clock.
 *
 * @example
 * ```ts
 * WaitParams.parse({ ms: 5 * 60_000 });
 * ```
 */
export const WaitParams = z.object({ ms: Duration }).strict();

/** Sets scenario variables for the later steps. */
const setVariables = defineStep({
  params: z.object({ values: z.record(z.string(), z.unknown()) }).strict(),
  run: ({ params }) => ({ variables: params.values, output: params.values }),
});

/** `railyard/check-monitors`: reads `health()` of the environment; fails on critical, warns on warning. */
function checkMonitors(rt: ScenarioRuntime): StepType {
  return defineStep({
    params: z
      .object({ environment: Slug.optional(), part: z.enum(['monitors', 'overall']).default('monitors') })
      .strict(),
    async run({ params, run }) {
      const environment = params.environment ?? run.environment;
      if (!environment) {
        throw new ValidationError(
          'railyard/check-monitors needs an environment: set params.environment, the scenario’s environment, or run it with { environment }.',
        );
      }
      const health = await rt.health(environment);
      const part = params.part === 'overall' ? health : health.monitors;
      const reasons =
        params.part === 'overall'
          ? [...health.deployment.reasons, ...health.execution.reasons, ...health.monitors.reasons]
          : health.monitors.reasons;
      const output = { environment, level: part.level, reasons };
      if (part.level === 'critical') {
        // Retryable, so a step with retries checks again after its backoff.
        throw new CheckFailedError(`${environment} is critical: ${reasons.join('; ') || 'no detail'}`, {
          details: { environment, reasons },
        });
      }
      return part.level === 'warning'
        ? { output, warning: `${environment} is warning: ${reasons.join('; ')}` }
        : { output };
    },
  });
}

/** How the executor runs a step type. @internal */
export type ResolvedStep = { kind: 'function'; type: StepType } | { kind: 'wait' } | { kind: 'child' };

/** Finds a step type: built-ins, then the step types the host registered. @internal */
export function resolveStep(rt: ScenarioRuntime, name: string): ResolvedStep | undefined {
  if (name === BUILTIN_STEPS.wait) return { kind: 'wait' };
  if (name === BUILTIN_STEPS.runScenario) return { kind: 'child' };
  if (name === BUILTIN_STEPS.setVariables) return { kind: 'function', type: setVariables };
  if (name === BUILTIN_STEPS.checkMonitors) return { kind: 'function', type: checkMonitors(rt) };
  const own = rt.steps.get(name);
  return own ? { kind: 'function', type: own } : undefined;
}

/** The params schema of a resolved step. @internal */
export function paramsSchema(resolved: ResolvedStep): HostSchema {
  if (resolved.kind === 'wait') return WaitParams;
  if (resolved.kind === 'child') return RunScenarioParams;
  return resolved.type.params;
}
