import type { MonitorDefinition } from '../model/verification.js';

/** What one reading says, before hysteresis. */
export type Reading = 'pass' | 'warning' | 'fail' | 'inconclusive';

/** The counters hysteresis keeps between readings. */
export interface HysteresisState {
  status: 'unknown' | 'ok' | 'warning' | 'critical';
  /** Consecutive readings at `fail` (critical breaches). */
  consecutiveFailures: number;
  /** Consecutive readings at `warning` or `fail`. */
  consecutiveBreaches: number;
  consecutivePasses: number;
}

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
 * Folds one reading into a monitor's hysteresis: `failAfter` consecutive critical breaches trip it
 * to critical (or consecutive breaches of either level to warning), `clearAfter` consecutive passes
 * clear it to ok. An inconclusive reading counts as the monitor's `inconclusiveAs` says: by default
 * it changes nothing, and it never counts as a pass.
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
  const fails = reading === 'fail' ? state.consecutiveFailures + 1 : 0;
  const breaches = reading === 'pass' ? 0 : state.consecutiveBreaches + 1;
  const passes = reading === 'pass' ? state.consecutivePasses + 1 : 0;
  let status = state.status;
  if (fails >= monitor.failAfter) status = 'critical';
  else if (breaches >= monitor.failAfter && status !== 'critical') status = 'warning';
  else if (passes >= monitor.clearAfter) status = 'ok';
  return { status, consecutiveFailures: fails, consecutiveBreaches: breaches, consecutivePasses: passes };
}

/** Hysteresis before the first reading. */
export function initialHysteresis(): HysteresisState {
  return { status: 'unknown', consecutiveFailures: 0, consecutiveBreaches: 0, consecutivePasses: 0 };
}
