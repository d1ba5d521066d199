import type { ResolvedSnapshot } from '../model/environment-types.js';
import type { TriggerFire } from '../model/scenario-run.js';
import type { HostSchema, HostSchemaOutput } from '../model/standard-schema.js';
import type { Clock } from './clock.js';
import type { DeploymentRef } from './host.js';

/**
 * Writes lines into the step's report (kept with the run; at most 100 lines per step).
 *
 * @example
 * ```ts
 * run: ({ logger }) => logger.info('refreshed 42 rows')
 * ```
 */
export interface StepLogger {
  /** Logs detail useful when debugging the step. */
  debug(message: string): void;
  /** Logs progress. */
  info(message: string): void;
  /** Logs something that deserves attention but does not fail the step. */
  warn(message: string): void;
  /** Logs a failure. */
  error(message: string): void;
}

/**
 * What a step's code receives, whether it runs in a scenario run a trigger or a person started, or
 * in a verification run of a deployment.
 *
 * @example
 * ```ts
 * async run({ params, signal, idempotencyKey, outputs }: StepContext<{ table: string }>) {
 *   await load(params.table, { signal, key: idempotencyKey, after: outputs.extract });
 * }
 * ```
 */
export interface StepContext<TParams = unknown> {
  /** This step's params, validated by the step type's schema. */
  params: TParams;
  /** The run: its id, scenario, params, trigger, and the environment and deployment it acts on. */
  run: {
    /** The run's id. */
    id: string;
    /** The run's scenario. */
    scenario: string;
    /** The run's params (the trigger's or the caller's). */
    params: Readonly<Record<string, unknown>>;
    /** What started the run. */
    trigger: TriggerFire;
    /** The environment the run acts on, if any. */
    environment?: string;
    /** The deployment the run verifies or follows, if any. */
    deploymentId?: string;
  };
  /** Scenario variables as set so far (the definition's, then those steps set). */
  variables: Readonly<Record<string, unknown>>;
  /** Outputs of the earlier steps that succeeded, by step key (its name, or `#n`). */
  outputs: Readonly<Record<string, unknown>>;
  /**
   * `<run id>:<step index>`: the same for every attempt and after restarts. Deduplicate side effects
   * on it. A verification run's id is `<deployment id>:<scenario id>`, so its keys name the deployment.
   */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the attempt times out, the run is aborted or times out, or the engine stops. */
  signal: AbortSignal;
  /** Logs attached to this attempt's report. */
  logger: StepLogger;
  /** The engine's clock: wait on it, never on timers, so tests can drive time. */
  clock: Clock;
  /**
   * In a verification run, the deployment being verified; otherwise the environment's active
   * deployment, when the run names an environment that runs one.
   */
  deployment?: DeploymentRef;
  /**
   * The snapshot of `deployment` (bundle, variables and connection remaps), secret references
   * replaced by their values (see docs/secrets.md).
   */
  snapshot?: ResolvedSnapshot;
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
  /** An output later steps and conditions can read (JSON, at most 64 KiB). */
  output?: unknown;
  /** Scenario variables to set for later steps. */
  variables?: Record<string, unknown>;
  /** A warning: the step succeeds, the run's outcome becomes at least `warning`. */
  warning?: string;
};

/**
 * A step type the host registers (the `steps` option of `createRailyard`, or
 * `railyard.scenarios.registerStep`); scenarios, verification scenarios and bundles refer to it by
 * name. Throw to fail an attempt: a `RailyardError` with `retryable: false` is never retried, any
 * other error is retried while the step has retries left.
 *
 * @example
 * ```ts
 * railyard.scenarios.registerStep('refresh', defineStep({
 *   params: z.object({ table: z.string() }),
 *   async run({ params, signal, idempotencyKey }) { return { output: await refresh(params.table, { signal, idempotencyKey }) }; },
 * }));
 * ```
 */
export interface StepType<TSchema extends HostSchema = HostSchema> {
  /** The params schema: any Standard Schema (zod 3.24+ or 4, valibot, arktype, …), checked when a scenario is defined and before each attempt. */
  params: TSchema;
  /** Runs one attempt with the validated params. */
  run(context: StepContext<HostSchemaOutput<TSchema>>): Promise<ScenarioStepResult> | ScenarioStepResult;
}

/**
 * Declares a step type with its params schema, so that `run` sees typed params. Use it for the
 * `steps` option of `createRailyard`, or pass the same object to `scenarios.registerStep`.
 *
 * @example
 * ```ts
 * const httpCheck = defineStep({ params: z.object({ url: z.string().url() }), run: async ({ params, signal }) => void (await fetch(params.url, { signal })) });
 * createRailyard({ store, blobs, steps: { 'http-check': httpCheck } });
 * ```
 */
export function defineStep<TSchema extends HostSchema>(step: StepType<TSchema>): StepType {
  return step as unknown as StepType;
}

/** The step types a Railyard knows, by name: one registry for every run. @internal */
export type StepRegistry = Map<string, StepType>;
