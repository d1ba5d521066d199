import type { BundleEntry, BundleManifest, Requirements } from '../model/bundle.js';
import { canonicalJson } from './canonical-json.js';

/** An entry present on both sides with other content. */
export interface ChangedEntry {
  /** The entry's path in the bundle. */
  path: string;
  /** Its size and digest in the older bundle. */
  from: EntryContent;
  /** Its size and digest in the newer bundle. */
  to: EntryContent;
}

/**
 * The content of one bundle entry, as a diff compares it.
 *
 * @example
 * ```ts
 * const { size, digest }: EntryContent = change.to;
 * ```
 */
export interface EntryContent {
  /** Size in bytes. */
  size: number;
  /** `sha256:` and the hex digest of the bytes. */
  digest: string;
}

/**
 * A project and version, as a diff names its two sides.
 *
 * @example
 * ```ts
 * const side: BundleSide = diff.to; // { project: 'churn', version: '1.1.0' }
 * ```
 */
export interface BundleSide {
  /** The project's name. */
  project: string;
  /** The bundle's semver version. */
  version: string;
}

/**
 * A value before and after, as a diff reports a change.
 *
 * @example
 * ```ts
 * if (diff.version) console.log(`${diff.version.from} → ${diff.version.to}`);
 * ```
 */
export interface FromTo {
  /** The older bundle's value. */
  from: string;
  /** The newer bundle's value. */
  to: string;
}

/** Names added to and removed from a list. */
export interface ListChange {
  /** Names in the newer bundle only. */
  added: string[];
  /** Names in the older bundle only. */
  removed: string[];
}

/** What differs between two bundles: entries, and the manifest fields people review. */
export interface BundleDiff {
  /** The older bundle, or `null` when diffing against nothing (a first deployment). */
  from: BundleSide | null;
  /** The newer bundle. */
  to: BundleSide;
  /** Entries only in the newer bundle. */
  added: BundleEntry[];
  /** Entries only in the older bundle. */
  removed: BundleEntry[];
  /** Entries at the same path with other content. */
  changed: ChangedEntry[];
  /** How many entries are identical. */
  unchanged: number;
  /** Bytes a site holding `from` must receive to hold `to`. */
  bytesToTransfer: number;
  /** The version change, when the versions differ. */
  version?: FromTo;
  /** Requirement changes, when any. */
  requirements?: RequirementsChange;
  /** Scenario changes (by id), when any. */
  scenarios?: ScenariosChange;
  /** The release notes before and after, when they differ. */
  releaseNotes?: FromTo;
}

/**
 * How the requirements of two bundles differ.
 *
 * @example
 * ```ts
 * for (const name of diff.requirements?.variables.added ?? []) console.log('new variable', name);
 * ```
 */
export interface RequirementsChange {
  /** Variables the bundle requires. */
  variables: ListChange;
  /** Connections the bundle requires. */
  connections: ListChange;
  /** Step types the bundle requires. */
  stepTypes: ListChange;
}

/**
 * How the scenarios of two bundles differ, by scenario id.
 *
 * @example
 * ```ts
 * console.log(diff.scenarios?.changed.join(', '));
 * ```
 */
export interface ScenariosChange {
  /** Scenarios only in the newer bundle. */
  added: string[];
  /** Scenarios only in the older bundle. */
  removed: string[];
  /** Scenarios in both whose definition changed. */
  changed: string[];
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
