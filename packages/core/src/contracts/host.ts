import type { ResolvedSnapshot } from '../model/environment-types.js';
import type { Clock } from './clock.js';

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
  /** The deployment's snapshot, secret references replaced by their values (see docs/secrets.md). */
  snapshot: ResolvedSnapshot;
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
  /** The snapshot to make live, secret references replaced by their values (see docs/secrets.md). */
  snapshot: ResolvedSnapshot;
  idempotencyKey: string;
  signal: AbortSignal;
}) => Promise<void> | void;

/** @internal */
export type ProbeRegistry = Map<string, Probe>;
