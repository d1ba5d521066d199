import type { GuardsOf } from '../machine/define-machine.js';
import { type MonitorStatus, monitorMachine } from '../machines/monitor-machine.js';
import type { MonitorDefinition } from '../model/verification.js';

/** What one reading says, before hysteresis. */
export type Reading = 'pass' | 'warning' | 'fail' | 'inconclusive';

/** The counters hysteresis keeps between readings. */
export interface HysteresisState {
  /** The monitor machine's status (hysteresis never silences: a silence is a person's act). */
  status: Exclude<MonitorStatus, 'silenced'>;
  /** Consecutive readings at `fail` (critical breaches). */
  consecutiveFailures: number;
  /** Consecutive readings at `warning` or `fail`. */
  consecutiveBreaches: number;
  consecutivePasses: number;
  /** Consecutive readings at `warning` exactly (breaching, not critical). */
  consecutiveWarnings: number;
}

type MonitorConfig = typeof monitorMachine.config;

/** The monitor machine's guards, read from the counters after a reading. */
const guards: {
  [G in GuardsOf<MonitorConfig>]: (counters: HysteresisState, monitor: MonitorDefinition) => boolean;
} = {
  // Stepping down from critical takes as many calmer readings as clearing does: no flapping.
  critical_cleared: (counters, monitor) => counters.consecutiveWarnings >= monitor.clearAfter,
};

/**
 * Classifies a probe's answer: a number against the monitor's thresholds (above or below), or a
 * status as given. Without thresholds, a number is inconclusive.
 *
 * @example
 * ```ts
 * classify(0.07, { warning: 0.02, critical: 0.05, direction: 'above' }); // 'fail'
 * ```
 */
export function classify(value: number | Reading, thresholds: MonitorDefinition['thresholds']): Reading {
  if (typeof value !== 'number') return value;
  if (!thresholds || Number.isNaN(value)) return 'inconclusive';
  const breaches = (limit: number | undefined) =>
    limit !== undefined && (thresholds.direction === 'above' ? value > limit : value < limit);
  if (breaches(thresholds.critical)) return 'fail';
  if (breaches(thresholds.warning)) return 'warning';
  return 'pass';
}

/**
 * Folds one reading into a monitor's hysteresis and moves the monitor machine: `failAfter`
 * consecutive critical breaches `trip` it to critical, `failAfter` consecutive breaches of either
 * level `warn` it to warning, `clearAfter` consecutive passes `clear` it to ok. The machine's table
 * and guards decide which moves happen: critical steps down to warning only after `clearAfter`
 * readings at the warning level in a row (`critical_cleared`). An inconclusive reading counts as
 * the monitor's `inconclusiveAs` says: by default it changes nothing, and it never counts as a pass.
 *
 * @example
 * ```ts
 * let state = initialHysteresis();
 * state = observe(state, 'fail', monitor); // still 'unknown' until failAfter breaches in a row
 * ```
 */
export function observe(state: HysteresisState, raw: Reading, monitor: MonitorDefinition): HysteresisState {
  const reading = raw === 'inconclusive' ? monitor.inconclusiveAs : raw;
  if (reading === 'ignore') return state;
  const counters: HysteresisState = {
    status: state.status,
    consecutiveFailures: reading === 'fail' ? state.consecutiveFailures + 1 : 0,
    consecutiveBreaches: reading === 'pass' ? 0 : state.consecutiveBreaches + 1,
    consecutivePasses: reading === 'pass' ? state.consecutivePasses + 1 : 0,
    consecutiveWarnings: reading === 'warning' ? (state.consecutiveWarnings ?? 0) + 1 : 0,
  };
  const event =
    counters.consecutiveFailures >= monitor.failAfter
      ? 'trip'
      : counters.consecutiveBreaches >= monitor.failAfter
        ? 'warn'
        : counters.consecutivePasses >= monitor.clearAfter
          ? 'clear'
          : undefined;
  if (event === undefined) return counters;
  // The machine decides: a move its table lacks (ok --clear-->, critical --trip-->) keeps the status.
  const target = monitorMachine.tryNext(state.status, event);
  const guard = monitorMachine.guard(state.status, event);
  if (target === undefined || target === 'silenced' || (guard !== undefined && !guards[guard](counters, monitor))) {
    return counters;
  }
  return { ...counters, status: target };
}

/** Hysteresis before the first reading. */
export function initialHysteresis(): HysteresisState {
  return {
    status: monitorMachine.config.initial,
    consecutiveFailures: 0,
    consecutiveBreaches: 0,
    consecutivePasses: 0,
    consecutiveWarnings: 0,
  };
}
