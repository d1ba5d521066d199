import type { Deployment, MonitorProgress } from '../../model/deployment.js';
import type { Snapshot } from '../../model/environment.js';
import type { MonitorDefinition } from '../../model/verification.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import type { UnitOfWork } from '../../runtime/unit-of-work.js';
import { activeSilences } from '../commands/silences.js';
import { evaluateMonitor, initialMonitorProgress } from './monitors.js';

/**
 * Reads every monitor that is due, folds the readings into their progress, and records on `work`
 * the events and, for each status change, a journal entry. Returns the new progress of all monitors.
 * @internal
 */
export async function monitorRound(
  context: EngineContext,
  work: UnitOfWork,
  input: {
    deployment: Deployment;
    snapshot: Snapshot;
    monitors: readonly MonitorDefinition[];
    progress: Record<string, MonitorProgress>;
    phase: 'verification' | 'watch';
  },
): Promise<Record<string, MonitorProgress>> {
  const now = context.clock.now().getTime();
  const at = nowIso(context);
  const d = input.deployment;
  const silences = await activeSilences(context, d.environment);
  const next = { ...input.progress };
  for (const monitor of input.monitors) {
    const before = next[monitor.id] ?? initialMonitorProgress(at);
    if (Date.parse(before.nextAt) > now) continue;
    const silenced = silences.has(monitor.id);
    const evaluation = await evaluateMonitor(context, {
      monitor,
      progress: before,
      deployment: d,
      snapshot: input.snapshot,
      at,
      silenced,
    });
    next[monitor.id] = evaluation.progress;
    const detail = evaluation.detail ? { detail: evaluation.detail } : {};
    work.emit('verification.result', {
      deploymentId: d.id,
      environment: d.environment,
      kind: 'monitor',
      id: monitor.id,
      result: evaluation.result,
      ...detail,
    });
    if (evaluation.progress.status !== before.status) {
      work.journal({
        at,
        actor: SYSTEM_ACTOR,
        type: 'monitor.status',
        subject: { kind: 'monitor', id: `${d.environment}/${monitor.id}` },
        environment: d.environment,
        deploymentId: d.id,
        ...(evaluation.detail ? { reason: evaluation.detail } : {}),
        data: {
          from: before.status,
          to: evaluation.progress.status,
          phase: input.phase,
          shadow: monitor.shadow,
          failures: evaluation.progress.consecutiveFailures,
          ...(evaluation.progress.lastValue === undefined ? {} : { value: evaluation.progress.lastValue }),
        },
      });
    }
  }
  return next;
}

/**
 * The first monitor that should act: critical, not in shadow mode and not silenced.
 * @internal
 */
export function actingCritical(
  monitors: readonly MonitorDefinition[],
  progress: Record<string, MonitorProgress>,
): { id: string; progress: MonitorProgress } | undefined {
  for (const monitor of monitors) {
    const p = progress[monitor.id];
    if (p?.status === 'critical' && !monitor.shadow) return { id: monitor.id, progress: p };
  }
  return undefined;
}

/**
 * Whether verification may end well: every acting monitor has a conclusive status short of
 * critical (`warning` is reported, not blocking); `unknown` is never healthy. Silenced and shadow
 * monitors do not hold verification up.
 * @internal
 */
export function monitorsHealthy(
  monitors: readonly MonitorDefinition[],
  progress: Record<string, MonitorProgress>,
): boolean {
  const passing = new Set(['ok', 'warning', 'silenced']);
  return monitors.every((m) => m.shadow || passing.has(progress[m.id]?.status ?? 'unknown'));
}

/** A sentence on why a monitor is critical. @internal */
export function criticalReason(id: string, p: MonitorProgress): string {
  return `monitor ${id} is critical after ${p.consecutiveFailures} failed checks${p.detail ? ` (${p.detail})` : ''}`;
}
