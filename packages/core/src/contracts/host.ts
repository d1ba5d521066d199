import type { z } from 'zod';
import type { Snapshot } from '../model/environment.js';
import type { Clock } from './clock.js';

/** What a step's code receives. */
export interface StepContext<TParams = unknown> {
  params: TParams;
  deployment: { id: string; environment: string; bundleId: string; version: string };
  snapshot: Snapshot;
  /** Stable across retries and restarts: `<deployment>:<scenario>:<step index>`. Use it to make side effects idempotent. */
  idempotencyKey: string;
  attempt: number;
  /** Aborted when the step times out or the engine stops. */
  signal: AbortSignal;
  clock: Clock;
}

/**
 * A step type the host registers; bundles and environments refer to it by name.
 *
 * @example
 * ```ts
 * railyard.registerStep('smoke', { params: z.object({ url: z.string() }), async run({ params }) { await fetch(params.url) } });
 * ```
 */
export interface StepType<TSchema extends z.ZodType = z.ZodType> {
  params: TSchema;
  run(context: StepContext<z.output<TSchema>>): Promise<void> | void;
}

/**
 * Declares a step type with its params schema, so that `run` sees typed params. Use it for the
 * `steps` option of `createRailyard`, or pass the same object to `registerStep`.
 *
 * @example
 * ```ts
 * const httpCheck = defineStep({ params: z.object({ url: z.string().url() }), run: async ({ params, signal }) => void (await fetch(params.url, { signal })) });
 * createRailyard({ store, blobs, steps: { 'http-check': httpCheck } });
 * ```
 */
export function defineStep<TSchema extends z.ZodType>(step: StepType<TSchema>): StepType {
  return step as unknown as StepType;
}

/**
 * What a probe returns: a status, or a number judged by the monitor's thresholds, either bare or
 * with a detail for people.
 */
export type ProbeResult =
  | 'pass'
  | 'warning'
  | 'fail'
  | 'inconclusive'
  | number
  | { status: 'pass' | 'warning' | 'fail' | 'inconclusive'; detail?: string }
  | { value: number; detail?: string };

/** What a probe's code receives. */
export interface ProbeContext {
  params: Record<string, unknown>;
  monitor: string;
  deployment: { id: string; environment: string; bundleId: string; version: string };
  snapshot: Snapshot;
  signal: AbortSignal;
  clock: Clock;
}

/**
 * A monitor probe the host registers. A throw counts as inconclusive, never as healthy.
 *
 * @example
 * ```ts
 * railyard.registerProbe('error-rate', async () => ((await errorRate()) < 0.01 ? 'pass' : 'fail'));
 * ```
 */
export type Probe = (context: ProbeContext) => Promise<ProbeResult> | ProbeResult;

/**
 * Called while a deployment is `activating`, before the active pointer moves: make the snapshot
 * live. It must be idempotent on `idempotencyKey`; a throw fails the deployment and leaves the
 * environment as it was.
 */
export type ActivationHook = (context: {
  deployment: { id: string; environment: string; bundleId: string; version: string; kind: 'promotion' | 'rollback' };
  snapshot: Snapshot;
  idempotencyKey: string;
  signal: AbortSignal;
}) => Promise<void> | void;

/** @internal */
export type StepRegistry = Map<string, StepType>;
/** @internal */
export type ProbeRegistry = Map<string, Probe>;
