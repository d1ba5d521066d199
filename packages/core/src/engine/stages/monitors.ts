import type { Deployment, MonitorProgress } from '../../model/deployment.js';
import type { Snapshot } from '../../model/environment.js';
import type { MonitorDefinition } from '../../model/verification.js';
import { addMs, type EngineContext } from '../context.js';
import type { ProbeResult } from '../registry.js';

/** One probe evaluation: the new progress of its monitor. @internal */
export interface MonitorEvaluation {
  progress: MonitorProgress;
  result: 'pass' | 'fail' | 'inconclusive';
  detail?: string;
}

/**
 * Runs a monitor's probe and folds the result into its progress: a pass clears the failure count,
 * a fail adds to it and turns the monitor critical at `failAfter`, and an inconclusive result (or a
 * probe that throws or is missing) changes nothing: it never counts as healthy.
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
  },
): Promise<MonitorEvaluation> {
  const { monitor, progress, at } = input;
  const { result, detail } = await probe(context, input);
  const failures =
    result === 'pass' ? 0 : result === 'fail' ? progress.consecutiveFailures + 1 : progress.consecutiveFailures;
  const status = result === 'pass' ? 'ok' : failures >= monitor.failAfter ? 'critical' : progress.status;
  return {
    result,
    ...(detail === undefined ? {} : { detail }),
    progress: {
      status,
      consecutiveFailures: failures,
      lastResult: result,
      lastAt: at,
      ...(detail === undefined ? {} : { detail }),
      nextAt: addMs(at, monitor.intervalMs),
    },
  };
}

async function probe(
  context: EngineContext,
  input: { monitor: MonitorDefinition; deployment: Deployment; snapshot: Snapshot },
): Promise<{ result: 'pass' | 'fail' | 'inconclusive'; detail?: string }> {
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
          throw new Error(`probe did not answer within ${input.monitor.intervalMs} ms`);
        },
        () => new Promise<never>(() => undefined),
      ),
    ]);
    const result =
      typeof raw === 'string' ? { result: raw } : { result: raw.status, ...(raw.detail ? { detail: raw.detail } : {}) };
    if (!['pass', 'fail', 'inconclusive'].includes(result.result)) {
      return {
        result: 'inconclusive',
        detail: `probe returned ${JSON.stringify(raw)}, expected pass, fail or inconclusive`,
      };
    }
    return result;
  } catch (error) {
    return { result: 'inconclusive', detail: `probe threw: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    timer.abort();
  }
}
