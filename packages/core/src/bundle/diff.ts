import type { BundleEntry, BundleManifest, Requirements } from '../model/bundle.js';
import { canonicalJson } from './canonical-json.js';

/** An entry present on both sides with other content. */
export interface ChangedEntry {
  path: string;
  from: { size: number; digest: string };
  to: { size: number; digest: string };
}

/** Names added to and removed from a list. */
export interface ListChange {
  added: string[];
  removed: string[];
}

/** What differs between two bundles: entries, and the manifest fields people review. */
export interface BundleDiff {
  from: { project: string; version: string } | null;
  to: { project: string; version: string };
  added: BundleEntry[];
  removed: BundleEntry[];
  changed: ChangedEntry[];
  unchanged: number;
  /** Bytes a site holding `from` must receive to hold `to`. */
  bytesToTransfer: number;
  version?: { from: string; to: string };
  requirements?: { variables: ListChange; connections: ListChange; stepTypes: ListChange };
  scenarios?: { added: string[]; removed: string[]; changed: string[] };
  releaseNotes?: { from: string; to: string };
}

const EMPTY_REQUIREMENTS: Requirements = { variables: [], connections: [], stepTypes: [] };

function listChange(from: readonly string[], to: readonly string[]): ListChange {
  return { added: to.filter((x) => !from.includes(x)), removed: from.filter((x) => !to.includes(x)) };
}

/**
 * Compares two manifests (`from` may be `null`: nothing deployed yet): added, removed and changed
 * entries with sizes, and changes to version, requirements, scenarios and release notes.
 *
 * @example
 * ```ts
 * const diff = diffManifests(active.manifest, candidate.manifest);
 * console.log(formatDiff(diff));
 * ```
 */
export function diffManifests(from: BundleManifest | null, to: BundleManifest): BundleDiff {
  const before = new Map((from?.entries ?? []).map((e) => [e.path, e]));
  const after = new Map(to.entries.map((e) => [e.path, e]));
  const added = to.entries.filter((e) => !before.has(e.path));
  const removed = (from?.entries ?? []).filter((e) => !after.has(e.path));
  const changed: ChangedEntry[] = [];
  let unchanged = 0;
  for (const entry of to.entries) {
    const old = before.get(entry.path);
    if (!old) continue;
    if (old.digest === entry.digest) unchanged++;
    else
      changed.push({
        path: entry.path,
        from: { size: old.size, digest: old.digest },
        to: { size: entry.size, digest: entry.digest },
      });
  }
  const held = new Set((from?.entries ?? []).map((e) => e.digest));
  const sent = new Set<string>();
  let bytesToTransfer = 0;
  for (const entry of to.entries) {
    if (held.has(entry.digest) || sent.has(entry.digest)) continue;
    sent.add(entry.digest);
    bytesToTransfer += entry.size;
  }
  const diff: BundleDiff = {
    from: from ? { project: from.project, version: from.version } : null,
    to: { project: to.project, version: to.version },
    added,
    removed,
    changed,
    unchanged,
    bytesToTransfer,
  };
  if (from?.version !== to.version) diff.version = { from: from?.version ?? '', to: to.version };
  const r0 = from?.requirements ?? EMPTY_REQUIREMENTS;
  const requirements = {
    variables: listChange(r0.variables, to.requirements.variables),
    connections: listChange(r0.connections, to.requirements.connections),
    stepTypes: listChange(r0.stepTypes, to.requirements.stepTypes),
  };
  if (Object.values(requirements).some((c) => c.added.length + c.removed.length > 0)) diff.requirements = requirements;
  const s0 = new Map((from?.scenarios ?? []).map((s) => [s.id, canonicalJson(s)]));
  const s1 = new Map(to.scenarios.map((s) => [s.id, canonicalJson(s)]));
  const scenarios = {
    added: [...s1.keys()].filter((id) => !s0.has(id)),
    removed: [...s0.keys()].filter((id) => !s1.has(id)),
    changed: [...s1.keys()].filter((id) => s0.has(id) && s0.get(id) !== s1.get(id)),
  };
  if (scenarios.added.length + scenarios.removed.length + scenarios.changed.length > 0) diff.scenarios = scenarios;
  if ((from?.releaseNotes ?? '') !== to.releaseNotes)
    diff.releaseNotes = { from: from?.releaseNotes ?? '', to: to.releaseNotes };
  return diff;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * A bundle diff as text for people (an approver's review, a CI log).
 *
 * @example
 * ```ts
 * console.log(formatDiff(diffManifests(a, b)));
 * ```
 */
export function formatDiff(diff: BundleDiff): string {
  const lines = [
    `${diff.to.project}: ${diff.from ? diff.from.version : '(nothing)'} → ${diff.to.version}` +
      ` — ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged; ${bytes(diff.bytesToTransfer)} to transfer`,
  ];
  for (const e of diff.added) lines.push(`  + ${e.path} (${bytes(e.size)})`);
  for (const e of diff.changed) lines.push(`  ~ ${e.path} (${bytes(e.from.size)} → ${bytes(e.to.size)})`);
  for (const e of diff.removed) lines.push(`  - ${e.path} (${bytes(e.size)})`);
  if (diff.requirements) {
    for (const [name, change] of Object.entries(diff.requirements)) {
      if (change.added.length) lines.push(`  requires ${name}: + ${change.added.join(', ')}`);
      if (change.removed.length) lines.push(`  requires ${name}: - ${change.removed.join(', ')}`);
    }
  }
  if (diff.scenarios) {
    const { added, removed, changed } = diff.scenarios;
    lines.push(
      `  scenarios: ${[...added.map((s) => `+${s}`), ...changed.map((s) => `~${s}`), ...removed.map((s) => `-${s}`)].join(' ')}`,
    );
  }
  if (diff.releaseNotes) lines.push(`  release notes: ${diff.releaseNotes.to.split('\n')[0] || '(none)'}`);
  return lines.join('\n');
}
