import type { Deployment, EnvironmentHealth, EnvironmentRecord } from '@railyard/core';
import type { EnvironmentStatusView } from '../site/site.js';
import type { Style } from './style.js';
import { type Column, table } from './table.js';
import { when } from './time.js';

const short = (id: string) => (id.startsWith('sha256:') ? id.slice(0, 19) : id);

/** A deployment status, coloured by how it ended or what it waits for. */
export function statusText(status: string, s: Style): string {
  if (['active', 'activated'].includes(status)) return s.green(status);
  if (['failed', 'rejected', 'rolled_back', 'cancelled'].includes(status)) return s.red(status);
  if (['awaiting_approval', 'requested', 'approved'].includes(status)) return s.yellow(status);
  return status;
}

/** Deployments as a table: id, version, status, requested by and when, reason. */
export function deploymentsTable(rows: Deployment[], s: Style, now: number): string {
  if (rows.length === 0) return s.dim('No deployments.');
  const columns: Column<Deployment>[] = [
    { heading: 'deployment', cell: (d) => d.id },
    { heading: 'kind', cell: (d) => d.kind },
    { heading: 'version', cell: (d) => `${d.project}@${d.version}` },
    { heading: 'status', cell: (d) => statusText(d.status, s) },
    { heading: 'requested by', cell: (d) => d.requestedBy.id },
    { heading: 'requested', cell: (d) => when(d.requestedAt, now) },
    { heading: 'reason', cell: (d) => d.reason ?? '' },
  ];
  return table(rows, columns);
}

/** One deployment in a few lines: what it is, where it stands, who asked and approved. */
export function deploymentText(d: Deployment, s: Style, now: number): string {
  const lines = [
    `${s.bold(d.id)}  ${d.kind} of ${d.project}@${d.version} (${short(d.bundleId)}) to ${d.environment}`,
    `  status     ${statusText(d.status, s)} since ${when(d.enteredAt, now)}`,
    `  requested  by ${d.requestedBy.id} ${when(d.requestedAt, now)}${d.reason ? ` — ${d.reason}` : ''}`,
  ];
  if ('deadlineAt' in d && d.deadlineAt) lines.push(`  deadline   ${when(d.deadlineAt, now)}`);
  for (const a of d.approvals)
    lines.push(`  approved   by ${a.by.id} ${when(a.at, now)}${a.comment ? ` — ${a.comment}` : ''}`);
  return lines.join('\n');
}

/** Environments as a table: id, status, active version, in flight, queue length. */
export function environmentsTable(rows: EnvironmentRecord[], s: Style, now: number): string {
  if (rows.length === 0) return s.dim('No environments. Define one with `railyard env define --file <env.json>`.');
  return table(rows, [
    { heading: 'environment', cell: (e) => e.definition.id },
    { heading: 'status', cell: (e) => envStatus(e.status, s) },
    { heading: 'active', cell: (e) => (e.active ? `${e.active.snapshot.version} (${e.active.deploymentId})` : '-') },
    { heading: 'since', cell: (e) => (e.active ? when(e.active.since, now) : '-') },
    { heading: 'in flight', cell: (e) => e.inFlight ?? '-' },
    { heading: 'queued', cell: (e) => String(e.queue.length) },
  ]);
}

function envStatus(status: string, s: Style): string {
  return status === 'ready' ? s.green(status) : status === 'halted' ? s.red(status) : s.yellow(status);
}

/** `railyard status`: each environment's active version, in-flight deployment, queue, health, halted state. */
export function environmentsStatusText(views: EnvironmentStatusView[], s: Style, now: number): string {
  if (views.length === 0) return s.dim('No environments. Define one with `railyard env define --file <env.json>`.');
  return views
    .map((v) => {
      const e = v.environment;
      const lines = [
        `${s.bold(e.definition.id)}  ${envStatus(e.status, s)}${e.statusReason ? ` — ${e.statusReason}` : ''}`,
        `  active     ${e.active ? `${e.active.snapshot.version} (${e.active.deploymentId}) since ${when(e.active.since, now)}` : '-'}`,
        `  in flight  ${v.inFlight ? `${v.inFlight.id} ${v.inFlight.project}@${v.inFlight.version} ${statusText(v.inFlight.status, s)}` : '-'}`,
        `  queue      ${v.queued.length ? v.queued.map((d) => `${d.id} (${d.version}, ${d.status})`).join(', ') : '-'}`,
      ];
      if (v.health) lines.push(`  health     ${healthLevel(v.health.level, s)}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** A health level, coloured. */
export function healthLevel(level: string, s: Style): string {
  return level === 'ok' ? s.green(level) : level === 'critical' ? s.red(level) : s.yellow(level);
}

/** `railyard health <env>`: the rollup and each part's reasons, then each monitor. */
export function healthText(h: EnvironmentHealth, s: Style): string {
  const part = (name: string, p: { level: string; reasons: string[] }) =>
    [`  ${name.padEnd(10)} ${healthLevel(p.level, s)}`, ...p.reasons.map((r) => `             ${r}`)].join('\n');
  const lines = [
    `${s.bold(h.environment)}  ${healthLevel(h.level, s)}`,
    part('deployment', h.deployment),
    part('execution', h.execution),
    part('monitors', h.monitors),
  ];
  for (const m of h.monitors.items)
    lines.push(
      `    ${m.id}: ${m.status}${m.detail ? ` — ${m.detail}` : ''}${m.shadow ? ' (shadow)' : ''}${m.silencedUntil ? ` silenced until ${m.silencedUntil}` : ''}`,
    );
  return lines.join('\n');
}
