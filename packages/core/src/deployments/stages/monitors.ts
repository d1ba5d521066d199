import type { ProbeResult } from '../../contracts/host.js';
import { TimeoutError } from '../../errors/errors.js';
import type { Deployment, MonitorProgress } from '../../model/deployment.js';
import type { Snapshot } from '../../model/environment.js';
import type { MonitorDefinition } from '../../model/verification.js';
import { classify, initialHysteresis, observe, type Reading } from '../../policy/hysteresis.js';
import { addMs, type EngineContext } from '../../runtime/context.js';

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

/**
 * Runs a monitor's probe and folds the reading into its progress through hysteresis
 * (`policy/hysteresis.ts`). A probe that throws, answers nonsense or is not registered reads as
 * inconclusive. While a silence holds, readings are recorded and the status stays `silenced`;
 * when it ends, the monitor starts again from `unknown`.
 * @internal
 */
export async function evaluateMonitor(
  context: EngineContext,
  input: {
    monitor: MonitorDefinition;
    progress: MonitorProgress;
    deployment: Deployment;
    snapshot: Snapshot;
    at: string;
    silenced: boolean;
  },
): Promise<MonitorEvaluation> {
  const { monitor, at } = input;
  const reading = await probe(context, input);
  const result = classify(reading.value ?? reading.result, monitor.thresholds);
  const before =
    input.progress.status === 'silenced' && !input.silenced
      ? { ...input.progress, ...initialHysteresis() }
      : input.progress;
  const next = observe(
    {
      status: before.status === 'silenced' ? 'unknown' : before.status,
      consecutiveFailures: before.consecutiveFailures,
      consecutiveBreaches: before.consecutiveBreaches,
      consecutivePasses: before.consecutivePasses,
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

async function probe(
  context: EngineContext,
  input: { monitor: MonitorDefinition; deployment: Deployment; snapshot: Snapshot },
): Promise<{ result: Reading; value?: number; detail?: string }> {
  const fn = context.probes.get(input.monitor.probe);
  if (!fn) return { result: 'inconclusive', detail: `probe "${input.monitor.probe}" is not registered on this site` };
  const controller = new AbortController();
  const timer = new AbortController();
  const d = input.deployment;
  try {
    const raw: ProbeResult = await Promise.race([
      fn({
        params: input.monitor.params,
        monitor: input.monitor.id,
        deployment: { id: d.id, environment: d.environment, bundleId: d.bundleId, version: d.version },
        snapshot: input.snapshot,
        signal: controller.signal,
        clock: context.clock,
      }),
      context.clock.sleep(input.monitor.intervalMs, timer.signal).then(
        () => {
          controller.abort();
          throw new TimeoutError(`probe did not answer within ${input.monitor.intervalMs} ms`);
        },
        () => new Promise<never>(() => undefined),
      ),
    ]);
    return normalise(raw);
  } catch (error) {
    return { result: 'inconclusive', detail: `probe threw: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    timer.abort();
  }
}

function normalise(raw: ProbeResult): { result: Reading; value?: number; detail?: string } {
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
