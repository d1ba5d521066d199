// Verification definitions as named interfaces; the schemas in verification.ts satisfy them.

/**
 * One step of a verification scenario: a host-registered step type, its params, retries and timeout.
 *
 * @example
 * ```ts
 * const step: StepDefinition = { type: 'smoke-test', params: {}, retries: 1, retryDelayMs: 1000, timeoutMs: 60_000 };
 * ```
 */
export interface StepDefinition {
  /** Names the step in reports. */
  name?: string;
  /** The step type, as registered by the host. */
  type: string;
  /** What the step receives (default `{}`). */
  params: Record<string, unknown>;
  /** How many times a retryable failure is retried (default 0). */
  retries: number;
  /** Delay before the first retry; doubles on each further retry (default 1000 ms). */
  retryDelayMs: number;
  /** How long one attempt may take, in ms (default 60 000). */
  timeoutMs: number;
}

/**
 * An ordered list of steps run during verification; any failing step fails the scenario.
 *
 * @example
 * ```ts
 * const smoke: ScenarioDefinition = { id: 'smoke', steps: [{ type: 'smoke-test', params: {}, retries: 0, retryDelayMs: 1000, timeoutMs: 60_000 }] };
 * ```
 */
export interface ScenarioDefinition {
  /** The scenario's id (a slug). */
  id: string;
  /** The steps, in order. */
  steps: StepDefinition[];
}

/**
 * A probe evaluated on the clock: during verification's bake time, and after activation for the
 * watch period. A probe answers a status or a number; numbers are judged by `thresholds`.
 * Hysteresis: `failAfter` consecutive breaches trip the monitor, `clearAfter` passes clear it.
 *
 * @example
 * ```ts
 * const errors: Partial<MonitorDefinition> = { id: 'error-rate', probe: 'error-rate', thresholds: { critical: 0.05, direction: 'above' }, failAfter: 3 };
 * ```
 */
export interface MonitorDefinition {
  /** The monitor's id (a slug). */
  id: string;
  /** The probe's name, as registered by the host. */
  probe: string;
  /** What the probe receives (default `{}`). */
  params: Record<string, unknown>;
  /** How often the probe runs, in ms on the clock (default 60 000). */
  intervalMs: number;
  /** How numbers are judged; without it the probe must answer a status. */
  thresholds?: {
    /** The warning limit. */
    warning?: number;
    /** The critical limit. */
    critical?: number;
    /** Whether readings above or below a limit breach it. */
    direction: 'above' | 'below';
  };
  /** Consecutive breaches that trip the monitor (default 1). */
  failAfter: number;
  /** Consecutive passes that clear it (default 1). */
  clearAfter: number;
  /** What an inconclusive reading (or a probe that throws) counts as. It never counts as a pass. */
  inconclusiveAs: 'ignore' | 'warning' | 'fail';
  /** Record readings and status changes, but never fail a verification nor trigger a rollback. */
  shadow: boolean;
}

/**
 * How an environment verifies a deployment after activation.
 *
 * @example
 * ```ts
 * const environment = await railyard.environments.get('production');
 * console.log(environment?.verification.bakeTimeMs);
 * ```
 */
export interface Verification {
  /** Scenarios run once, in order; any failure fails the deployment. */
  scenarios: ScenarioDefinition[];
  /** Monitors watching during the bake time and the watch period. */
  monitors: MonitorDefinition[];
  /** How long monitors watch before a deployment counts as healthy. */
  bakeTimeMs: number;
  /** How long monitors keep watching after a deployment is active; a critical monitor then triggers the rollback policy. */
  watchMs: number;
}
