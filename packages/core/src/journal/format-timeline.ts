import type { JournalEntry } from '../model/journal.js';

/** Options of {@link formatTimeline}. */
export interface TimelineOptions {
  /**
   * How the time column reads: `'relative'` (default) is seconds since the first entry shown
   * (`+1.5s`); `'absolute'` is the entry's ISO time.
   */
  time?: 'relative' | 'absolute';
  /** Print the column headings first (default `true`). */
  header?: boolean;
}

const FINISHED_RUN = ['succeeded', 'warning', 'failed', 'timed_out'];

/** What one entry says on the timeline, or null for entries the timeline leaves out. */
function describe(entry: JournalEntry): string | null {
  const data = entry.data as Record<string, unknown>;
  const part = (index: number) => entry.subject.id.split('/')[index] ?? entry.subject.id;
  switch (entry.type) {
    case 'deployment.transition':
      return `${data.from} → ${data.to}`;
    case 'deployment.requested':
      return `requested ${data.version}`;
    case 'monitor.status':
      return `monitor ${part(1)}: ${data.from} → ${data.to}`;
    case 'scenario.finished':
      return `scenario ${part(1)}: ${data.outcome}`;
    case 'scenario.run':
      // A verification run's end is the `scenario.finished` line of its deployment.
      return data.trigger !== 'verification' && FINISHED_RUN.includes(String(data.to))
        ? `scenario ${data.scenario} (${data.trigger}): ${data.to}`
        : null;
    case 'environment.status':
      return `environment: ${data.from} → ${data.to}`;
    default:
      return null;
  }
}

/**
 * The journal as a readable timeline, one line per lifecycle step: time, deployment (or
 * environment), what happened (`from → to`, a monitor or scenario outcome), actor and reason.
 * Entries that are not lifecycle steps (bundles stored, environments defined) are left out. The
 * quickstart, the `railyard timeline` command and hosts share it.
 *
 * @example
 * ```ts
 * const entries = [];
 * for await (const entry of railyard.journal.read({ environment: 'production' })) entries.push(entry);
 * console.log(formatTimeline(entries));
 * // time    deployment          transition                                          actor      reason
 * // +0.0s   production/000001   requested 1.0.0                                     alice
 * ```
 */
export function formatTimeline(entries: Iterable<JournalEntry>, options: TimelineOptions = {}): string {
  const lines: string[] = [];
  if (options.header ?? true)
    lines.push(`${'time'.padEnd(8)}${'deployment'.padEnd(20)}${'transition'.padEnd(52)}${'actor'.padEnd(11)}reason`);
  let start: number | undefined;
  for (const entry of entries) {
    const what = describe(entry);
    if (what === null) continue;
    const at = Date.parse(entry.at);
    start ??= at;
    const time = options.time === 'absolute' ? `${entry.at} ` : `+${((at - start) / 1000).toFixed(1)}s`;
    const subject = entry.deploymentId ?? entry.environment ?? '';
    lines.push(
      `${time.padEnd(8)}${subject.padEnd(20)}${what.padEnd(52)}${entry.actor.id.padEnd(11)}${entry.reason ?? ''}`.trimEnd(),
    );
  }
  return lines.join('\n');
}
