/** One metric the engine records: its OpenTelemetry name, kind, unit and meaning. @internal */
export interface MetricSpec {
  name: string;
  kind: 'counter' | 'histogram' | 'gauge';
  unit: string;
  description: string;
}

/**
 * Every metric Railyard records, the same in OpenTelemetry and on the Prometheus endpoint
 * (`railyard.store.duration` in seconds is `railyard_store_duration_seconds` there). Documented
 * in docs/observability.md.
 * @internal
 */
export const METRICS = {
  deployments: {
    name: 'railyard.deployments',
    kind: 'gauge',
    unit: '{deployment}',
    description: 'Deployments queued, in flight or active, by environment and status.',
  },
  queue: {
    name: 'railyard.environment.queue',
    kind: 'gauge',
    unit: '{deployment}',
    description: 'Deployments waiting in an environment’s queue.',
  },
  monitors: {
    name: 'railyard.monitor.status',
    kind: 'gauge',
    unit: '1',
    description: '1 for the status each monitor of the active deployment is in, by environment, monitor and status.',
  },
  transitions: {
    name: 'railyard.deployment.transitions',
    kind: 'counter',
    unit: '{transition}',
    description: 'Deployment transitions, by environment, from and to.',
  },
  transitionDuration: {
    name: 'railyard.deployment.state.duration',
    kind: 'histogram',
    unit: 's',
    description: 'How long a deployment spent in a state before leaving it, by environment, from and to.',
  },
  verificationDuration: {
    name: 'railyard.verification.duration',
    kind: 'histogram',
    unit: 's',
    description: 'How long verification lasted, by environment and outcome (active, rolling_back, failed, …).',
  },
  scenarioDuration: {
    name: 'railyard.scenario.duration',
    kind: 'histogram',
    unit: 's',
    description: 'How long scenario runs ran, by scenario, outcome and whether they verify a deployment.',
  },
  rollbacks: {
    name: 'railyard.rollbacks',
    kind: 'counter',
    unit: '{rollback}',
    description: 'Rollbacks started, by environment and trigger (automatic or manual).',
  },
  callDuration: {
    name: 'railyard.adapter.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Latency of store and transport calls (retries included), by adapter and operation.',
  },
  callErrors: {
    name: 'railyard.adapter.errors',
    kind: 'counter',
    unit: '{error}',
    description: 'Store and transport calls that failed (after retries), by adapter, operation and error code.',
  },
} as const satisfies Record<string, MetricSpec>;

/** The metrics by key. @internal */
export type MetricKey = keyof typeof METRICS;

/** Histogram bucket bounds (seconds): milliseconds for store calls up to a day for approvals. @internal */
export const SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14_400, 86_400,
];
