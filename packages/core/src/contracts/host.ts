import type { ResolvedSnapshot } from '../model/environment-types.js';
import type { Clock } from './clock.js';

/**
 * The deployment host code runs for: its id, environment, bundle and version.
 *
 * @example
 * ```ts
 * railyard.registerProbe('version-live', async ({ deployment }: { deployment: DeploymentRef }) => ((await liveVersion()) === deployment.version ? 'pass' : 'fail'));
 * ```
 */
export interface DeploymentRef {
  /** The deployment's id. */
  id: string;
  /** The environment it goes into. */
  environment: string;
  /** The bundle's digest. */
  bundleId: string;
  /** The bundle's version. */
  version: string;
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
  | {
      /** The reading's level. */
      status: 'pass' | 'warning' | 'fail' | 'inconclusive';
      /** What the probe saw, for people. */
      detail?: string;
    }
  | {
      /** A number the monitor's thresholds judge. */
      value: number;
      /** What the probe saw, for people. */
      detail?: string;
    };

/** What a probe's code receives. */
export interface ProbeContext {
  /** The monitor's params. */
  params: Record<string, unknown>;
  /** The monitor's id. */
  monitor: string;
  /** The deployment being verified. */
  deployment: DeploymentRef;
  /** The deployment's snapshot, secret references replaced by their values (see docs/secrets.md). */
  snapshot: ResolvedSnapshot;
  /** Aborted when the probe times out or the engine stops. */
  signal: AbortSignal;
  /** The engine's clock. */
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
  /** The deployment to make live, and whether it is a promotion or a rollback. */
  deployment: DeploymentRef & {
    /** A promotion, or a rollback restoring an earlier snapshot. */
    kind: 'promotion' | 'rollback';
  };
  /** The snapshot to make live, secret references replaced by their values (see docs/secrets.md). */
  snapshot: ResolvedSnapshot;
  /** The same for every attempt of this activation: make it live once. */
  idempotencyKey: string;
  /** Aborted when activation times out or the engine stops. */
  signal: AbortSignal;
}) => Promise<void> | void;

/** @internal */
export type ProbeRegistry = Map<string, Probe>;
