import type { Probe, ProbeResult } from '../../contracts/host.js';
import type { Deployment, MonitorProgress } from '../../model/deployment.js';
import type { Snapshot } from '../../model/environment.js';
import type { MonitorDefinition } from '../../model/verification.js';
import { classify, initialHysteresis, observe, type Reading } from '../../policy/hysteresis.js';
import { addMs, type EngineContext } from '../../runtime/context.js';
import type { HostOutcome } from '../../runtime/host-work.js';
import { resolveSnapshot } from '../../runtime/secrets.js';

/** One probe evaluation: the new progress of its monitor. @internal */
export interface MonitorEvaluation {
  progress: MonitorProgress;
  result: Reading;
  detail?: string;
}

/** Progress of a monitor that has not been read yet, due at once. @internal */
export function initialMonitorProgress(at: string): MonitorProgress {
  return { ...initialHysteresis(), nextAt: at };
}

/** What one probe reading said. @internal */
export interface ProbeReading {
  result: Reading;
  value?: number;
  detail?: string;
}

/**
 * Folds a probe reading into its monitor's progress through hysteresis (`policy/hysteresis.ts`).
 * While a silence holds, readings are recorded and the status stays `silenced`; when it ends, the
 * monitor starts again from `unknown`.
 * @internal
 */
export function evaluateMonitor(input: {
  monitor: MonitorDefinition;
  progress: MonitorProgress;
  reading: ProbeReading;
  at: string;
  silenced: boolean;
}): MonitorEvaluation {
  const { monitor, at, reading } = input;
  const result = classify(reading.value ?? reading.result, monitor.thresholds);
  const { probe: _claimed, ...progress } = input.progress;
  const before = progress.status === 'silenced' && !input.silenced ? { ...progress, ...initialHysteresis() } : progress;
  const next = observe(
    {
      status: before.status === 'silenced' ? 'unknown' : before.status,
      consecutiveFailures: before.consecutiveFailures,
      consecutiveBreaches: before.consecutiveBreaches,
      consecutivePasses: before.consecutivePasses,
      consecutiveWarnings: before.consecutiveWarnings,
    },
    result,
    monitor,
  );
  return {
    result,
    ...(reading.detail === undefined ? {} : { detail: reading.detail }),
    progress: {
      ...next,
      status: input.silenced ? 'silenced' : next.status,
      lastResult: result,
      ...(reading.value === undefined ? {} : { lastValue: reading.value }),
      lastAt: at,
      ...(reading.detail === undefined ? {} : { detail: reading.detail }),
      nextAt: addMs(at, monitor.intervalMs),
    },
  };
}

const READINGS = new Set(['pass', 'warning', 'fail', 'inconclusive']);

/** The host code that reads a monitor's probe (run as host work, never inside a pass). @internal */
export function probeTask(
  context: EngineContext,
  fn: Probe,
  input: { monitor: MonitorDefinition; deployment: Deployment; snapshot: Snapshot },
): (signal: AbortSignal) => Promise<ProbeResult> {
  const d = input.deployment;
  return async (signal) =>
    fn({
      params: input.monitor.params,
      monitor: input.monitor.id,
      deployment: { id: d.id, environment: d.environment, bundleId: d.bundleId, version: d.version },
      snapshot: await resolveSnapshot(context, input.snapshot, {
        environment: d.environment,
        deploymentId: d.id,
        purpose: 'probe',
        signal,
      }),
      signal,
      clock: context.clock,
    });
}

/** A probe's outcome as a reading: a throw, a timeout or nonsense reads as inconclusive. @internal */
export function readingOf(outcome: HostOutcome<ProbeResult>): ProbeReading {
  if (outcome.ok) return normalise(outcome.value);
  const error = outcome.error;
  return { result: 'inconclusive', detail: `probe threw: ${error instanceof Error ? error.message : String(error)}` };
}

function normalise(raw: ProbeResult): ProbeReading {
  if (typeof raw === 'number') return { result: 'inconclusive', value: raw };
  if (typeof raw === 'string' && READINGS.has(raw)) return { result: raw };
  if (raw && typeof raw === 'object') {
    const detail = typeof raw.detail === 'string' ? { detail: raw.detail } : {};
    if ('value' in raw && typeof raw.value === 'number') return { result: 'inconclusive', value: raw.value, ...detail };
    if ('status' in raw && READINGS.has(raw.status)) return { result: raw.status, ...detail };
  }
  return {
    result: 'inconclusive',
    detail: `probe returned ${JSON.stringify(raw)}; expected pass, warning, fail, inconclusive or a number`,
  };
}
