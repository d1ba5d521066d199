import type { SettingValue, Snapshot } from '../../model/environment-types.js';

/**
 * A variable or connection remap that a promotion changes against what is active. A secret
 * reference shows as its name (`secret:<name>`), never as its value.
 *
 * @example
 * ```ts
 * for (const c of plan.settings) console.log(c.kind, c.name, c.change, c.from, c.to);
 * ```
 */
export interface SettingChange {
  /** A variable or a connection remap. */
  kind: 'variable' | 'connection';
  /** Its name. */
  name: string;
  /** Whether it appears, disappears or changes. */
  change: 'added' | 'removed' | 'changed';
  /** What is active now (absent when added). */
  from?: SettingValue;
  /** What the promotion would run with (absent when removed). */
  to?: SettingValue;
}

type Settings = Pick<Snapshot, 'variables' | 'connections'>;

/** How a setting reads for people: plain text as is, a secret reference as its name. @internal */
export function showSetting(value: SettingValue): string {
  return typeof value === 'string' ? value : `secret:${value.secret}`;
}

/** What changes between the active settings (or none) and the ones a promotion would run with. @internal */
export function diffSettings(active: Settings | null, next: Settings): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const [group, kind] of [
    ['variables', 'variable'],
    ['connections', 'connection'],
  ] as const) {
    const from = active?.[group] ?? {};
    const to = next[group];
    for (const name of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
      const a = from[name];
      const b = to[name];
      if (a === undefined && b !== undefined) changes.push({ kind, name, change: 'added', to: b });
      else if (a !== undefined && b === undefined) changes.push({ kind, name, change: 'removed', from: a });
      else if (a !== undefined && b !== undefined && showSetting(a) !== showSetting(b))
        changes.push({ kind, name, change: 'changed', from: a, to: b });
    }
  }
  return changes;
}

/** The changes as one line for a plan's text. @internal */
export function formatSettingChanges(changes: SettingChange[]): string {
  if (changes.length === 0) return '  settings: unchanged';
  const one = (c: SettingChange) =>
    c.change === 'added'
      ? `+${c.name}=${showSetting(c.to as SettingValue)}`
      : c.change === 'removed'
        ? `-${c.name}`
        : `${c.name} ${showSetting(c.from as SettingValue)} → ${showSetting(c.to as SettingValue)}`;
  return `  settings: ${changes.map(one).join('; ')}`;
}
