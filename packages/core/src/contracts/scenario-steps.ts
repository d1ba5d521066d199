import type { z } from 'zod';
import type { Snapshot } from '../model/environment.js';
import type { TriggerFire } from '../model/scenario-run.js';
import type { Clock } from './clock.js';

/**
 * Writes lines into the step's report (kept with the run; at most 100 lines per step).
 *
 * @example
 * ```ts
 * run: ({ logger }) => logger.info('refreshed 42 rows')
 * ```
 */
export interface StepLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * What a scenario step's code receives.
 *
 * @example
 * ```ts
 * async run({ params, signal, idempotencyKey, outputs }: ScenarioStepContext<{ table: string }>) {
 *   await load(params.table, { signal, key: idempotencyKey, after: outputs.extract });
 * }
 * ```
 */
export interface ScenarioStepContext<TParams = unknown> {
  /** This step's params, validated by the step type's schema. */
  params: TParams;
  /** The run: its id, scenario, params, trigger, and the environment and deployment it acts on. */
  run: {
    id: string;
    scenario: string;
    params: Readonly<Record<string, unknown>>;
    trigger: TriggerFire;
    environment?: string;
    deploymentId?: string;
  };
  /** Scenario variables as set so far (the definition's, then those steps set). */
  variables: Readonly<Record<string, unknown>>;
  /** Outputs of the earlier steps that succeeded, by step key (its name, or `#n`). */
  outputs: Readonly<Record<string, unknown>>;
  /** `<run id>:<step index>`: the same for every attempt and after restarts. Deduplicate side effects on it. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the attempt times out, the run is aborted or times out, or the engine stops. */
  signal: AbortSignal;
  logger: StepLogger;
  clock: Clock;
  /** The environment's active deployment, when the run names an environment that runs one. */
  deployment?: { id: string; environment: string; bundleId: string; version: string };
  snapshot?: Snapshot;
}

/**
 * What a step may return: an output later steps and conditions can read (JSON, at most 64 KiB),
 * variables to set, and a warning (the step succeeds, the run's outcome becomes at least `warning`).
 *
 * @example
 * ```ts
 * run: () => ({ output: { rows: 42 }, variables: { rows: 42 }, warning: 'took 2x longer than usual' })
 * ```
 */
// biome-ignore lint/suspicious/noConfusingVoidType: steps that return nothing are typed `void`, and must be accepted.
export type ScenarioStepResult = void | {
  output?: unknown;
  variables?: Record<string, unknown>;
  warning?: string;
};

/**
 * A scenario step type the host registers with `scenarios.registerStep`; scenarios refer to it by
 * name. Throw to fail an attempt: a `RailyardError` with `retryable: false` is never retried, any
 * other error is retried while the step has retries left.
 *
 * @example
 * ```ts
 * railyard.scenarios.registerStep('refresh', defineScenarioStep({
 *   params: z.object({ table: z.string() }),
 *   async run({ params, signal, idempotencyKey }) { return { output: await refresh(params.table, { signal, idempotencyKey }) }; },
 * }));
 * ```
 */
export interface ScenarioStepType<TSchema extends z.ZodType = z.ZodType> {
  params: TSchema;
  run(context: ScenarioStepContext<z.output<TSchema>>): Promise<ScenarioStepResult> | ScenarioStepResult;
}

/**
 * Declares a scenario step type with its params schema, so that `run` sees typed params.
 *
 * @example
 * ```ts
 * const sendMail = defineScenarioStep({ params: z.object({ to: z.string() }), run: async ({ params }) => void (await mail(params.to)) });
 * railyard.scenarios.registerStep('send-mail', sendMail);
 * ```
 */
export function defineScenarioStep<TSchema extends z.ZodType>(step: ScenarioStepType<TSchema>): ScenarioStepType {
  return step as unknown as ScenarioStepType;
}

/**
 * A custom poll trigger's function, registered with `scenarios.registerPoll`: called every
 * `intervalMs`, it fires a run when it answers `true` or `{ params }`. A throw is reported on the
 * `error` event and fires nothing.
 *
 * @example
 * ```ts
 * railyard.scenarios.registerPoll('new-files', async ({ since }) => {
 *   const files = await listFiles({ newerThan: since });
 *   return files.length > 0 ? { params: { files } } : false;
 * });
 * ```
 */
export type ScenarioPoll = (context: {
  scenario: string;
  trigger: string;
  params: Readonly<Record<string, unknown>>;
  /** When the poll last ran, if ever. */
  since?: string;
  signal: AbortSignal;
  clock: Clock;
}) =>
  | boolean
  | null
  | undefined
  | { params?: Record<string, unknown> }
  | Promise<boolean | null | undefined | { params?: Record<string, unknown> }>;
