import type { ProbeResult } from '../../contracts/host.js';
import { TimeoutError } from '../../errors/errors.js';
import type { Deployment, MonitorProgress } from '../../model/deployment.js';
import type { Snapshot } from '../../model/environment.js';
import type { HostClaim } from '../../model/host-claim.js';
import type { MonitorDefinition } from '../../model/verification.js';
import { addMs, type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { claimKey, newClaim, renewClaim, viewClaim } from '../../runtime/host-claim.js';
import { readDeployment } from '../../runtime/records.js';
import type { UnitOfWork } from '../../runtime/unit-of-work.js';
import { activeSilences } from '../commands/silences.js';
import {
  evaluateMonitor,
  initialMonitorProgress,
  type MonitorEvaluation,
  type ProbeReading,
  probeTask,
  readingOf,
} from './monitors.js';

/** What a monitor round changed, and what is left to do once it is committed. @internal */
export interface MonitorRound {
  /** The new progress of every monitor. */
  progress: Record<string, MonitorProgress>;
  /** Whether anything changed (commit `work`, then call `start`). */
  changed: boolean;
  /** Starts the probes this round claimed: call it once the round is committed. */
  start(): void;
  /** Whether a probe is claimed and its reading not committed yet. */
  inFlight: boolean;
  /** When a monitor is due next, or a running probe's timeout or lease renewal. */
  nextAt: number;
}

/**
 * One round of the monitors of a deployment, without awaiting a probe: probes read since the last
 * round are folded into their progress (events, and a journal entry per status change, recorded on
 * `work`); a probe past its timeout (the monitor's interval) is aborted and reads as inconclusive;
 * a due monitor's probe is claimed on the progress (owner, lease, timeout) and started as host work
 * once `work` is committed (`start`). A late reading is ignored.
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
): Promise<MonitorRound> {
  const now = context.clock.now().getTime();
  const at = nowIso(context);
  const d = input.deployment;
  const next = { ...input.progress };
  const starts: Array<() => void> = [];
  let silences: Awaited<ReturnType<typeof activeSilences>> | undefined;
  const round = { changed: false, inFlight: false, nextAt: Number.POSITIVE_INFINITY };
  const later = (t: number) => {
    round.nextAt = Math.min(round.nextAt, t);
  };
  for (const monitor of input.monitors) {
    const before = next[monitor.id] ?? initialMonitorProgress(at);
    const subject = probeSubject(d.id, input.phase, monitor.id);
    const view = before.probe ? viewClaim<ProbeResult>(context, subject, before.probe) : undefined;
    let reading: ProbeReading | undefined;
    if (view?.kind === 'held') {
      round.inFlight = true;
      later(view.until);
      continue;
    }
    if (view?.kind === 'running') {
      round.inFlight = true;
      if (view.renewAt > now) later(Math.min(view.renewAt, view.deadline));
      else {
        next[monitor.id] = { ...before, probe: renewClaim(context, before.probe as HostClaim) };
        round.changed = true;
      }
      continue;
    }
    if (view?.kind === 'timed-out') {
      const detail = `probe did not answer within ${monitor.intervalMs} ms`;
      context.host.forget(claimKey(subject, before.probe as HostClaim), new TimeoutError(detail));
      reading = { result: 'inconclusive', detail };
    } else if (view?.kind === 'done') {
      context.host.forget(claimKey(subject, before.probe as HostClaim));
      reading = readingOf(view.outcome);
    } else if (!view && Date.parse(before.nextAt) > now) {
      later(Date.parse(before.nextAt));
      continue;
    } else {
      const fn = context.probes.get(monitor.probe);
      if (fn) {
        const claim = newClaim(context, addMs(at, monitor.intervalMs));
        next[monitor.id] = { ...before, probe: claim };
        const task = probeTask(context, fn, { monitor, deployment: d, snapshot: input.snapshot });
        const current = () =>
          stillClaimed(context, { deploymentId: d.id, phase: input.phase, monitor: monitor.id, claim });
        const describe = {
          span: 'railyard.probe',
          attributes: {
            'railyard.monitor': monitor.id,
            'railyard.probe': monitor.probe,
            'railyard.deployment.id': d.id,
            'railyard.environment': d.environment,
            'railyard.bundle.id': d.bundleId,
          },
        };
        starts.push(() => context.host.start(claimKey(subject, claim), task, { current, describe }));
        round.changed = true;
        round.inFlight = true;
        later(Date.parse(claim.leaseUntil));
        continue;
      }
      reading = { result: 'inconclusive', detail: `probe "${monitor.probe}" is not registered on this site` };
    }
    silences ??= await activeSilences(context, d.environment);
    // A reading counts from when its probe was started, so that the monitor keeps its interval.
    const startedAt = before.probe?.startedAt ?? at;
    const evaluation = evaluateMonitor({
      monitor,
      progress: before,
      reading,
      at: startedAt,
      silenced: silences.has(monitor.id),
    });
    next[monitor.id] = evaluation.progress;
    round.changed = true;
    later(Date.parse(evaluation.progress.nextAt));
    record(work, { deployment: d, monitor, before, evaluation, at, phase: input.phase });
  }
  const start = () => {
    for (const begin of starts) begin();
  };
  return { ...round, progress: next, start };
}

/** Whether a probe's claim is still on its deployment (verification or the watch did not end without it). */
async function stillClaimed(
  context: EngineContext,
  input: { deploymentId: string; phase: 'verification' | 'watch'; monitor: string; claim: HostClaim },
): Promise<boolean> {
  const d = (await readDeployment(context, input.deploymentId))?.value;
  const progress =
    input.phase === 'verification'
      ? d?.status === 'verifying'
        ? d.verification.monitors
        : undefined
      : d?.status === 'active'
        ? d.watch?.monitors
        : undefined;
  const probe = progress?.[input.monitor]?.probe;
  return probe?.owner === input.claim.owner && probe.startedAt === input.claim.startedAt;
}

/** The subject host work of a monitor's probe is known by. */
function probeSubject(deploymentId: string, phase: string, monitorId: string): string {
  return `probe:${deploymentId}:${phase}:${monitorId}`;
}

/**
 * Lets go of the probes still claimed on a deployment's monitors (verification or the watch
 * ended): they are aborted and their readings ignored.
 * @internal
 */
export function dropProbes(
  context: EngineContext,
  input: { deploymentId: string; phase: 'verification' | 'watch'; progress: Record<string, MonitorProgress> },
): void {
  for (const [id, progress] of Object.entries(input.progress))
    if (progress.probe && progress.probe.owner === context.engineId)
      context.host.forget(claimKey(probeSubject(input.deploymentId, input.phase, id), progress.probe));
}

/** The event of a reading and, when the status changed, its journal entry. */
function record(
  work: UnitOfWork,
  input: {
    deployment: Deployment;
    monitor: MonitorDefinition;
    before: MonitorProgress;
    evaluation: MonitorEvaluation;
    at: string;
    phase: 'verification' | 'watch';
  },
): void {
  const { deployment: d, monitor, before, evaluation, at } = input;
  const detail = evaluation.detail ? { detail: evaluation.detail } : {};
  work.emit('verification.result', {
    deploymentId: d.id,
    environment: d.environment,
    kind: 'monitor',
    id: monitor.id,
    result: evaluation.result,
    ...detail,
  });
  if (evaluation.progress.status === before.status) return;
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
