import { environmentHealth } from '../deployments/commands/health.js';
import { EnvironmentRecord } from '../model/environment.js';
import type { EngineContext } from '../runtime/context.js';
import type { GaugeReading } from '../runtime/metrics-registry.js';
import { KIND, listAll, readDeployment } from '../runtime/records.js';

/**
 * The gauges, read from the store when metrics are collected (never on the engine's hot path):
 * deployments queued, in flight or active by status, queue lengths, and each monitor's status.
 * @internal
 */
export async function readGauges(context: EngineContext): Promise<GaugeReading[]> {
  const readings: GaugeReading[] = [];
  for (const { value: env } of await listAll(context, KIND.environment, EnvironmentRecord)) {
    const environment = env.definition.id;
    if (env.definition.remote) continue;
    readings.push({ metric: 'queue', value: env.queue.length, attributes: { environment } });
    const byStatus = new Map<string, number>();
    const ids = new Set([
      ...env.queue,
      ...(env.inFlight ? [env.inFlight] : []),
      ...(env.active ? [env.active.deploymentId] : []),
    ]);
    for (const id of ids) {
      const status = (await readDeployment(context, id))?.value.status;
      if (status) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
    for (const [status, value] of byStatus)
      readings.push({ metric: 'deployments', value, attributes: { environment, status } });
    if (!env.active) continue;
    for (const item of (await environmentHealth(context, environment)).monitors.items)
      readings.push({
        metric: 'monitors',
        value: 1,
        attributes: { environment, monitor: item.id, status: item.status },
      });
  }
  return readings;
}
