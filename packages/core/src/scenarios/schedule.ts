import { cronFor, type Schedule } from '../model/cron.js';
import type { ScheduleTrigger } from '../model/scenario-trigger.js';

/**
 * What a schedule trigger owes at a given time: the instants to fire, those skipped, and its new state.
 *
 * @example
 * ```ts
 * const { fires, skipped, lastFiredAt } = scheduleDecision(trigger, state.lastFiredAt, clock.now());
 * ```
 */
export interface ScheduleDecision {
  fires: Array<{ scheduledFor: string; catchUp: boolean }>;
  /** Instants that passed without a run (missed and not caught up). */
  skipped: { count: number; first?: string; last?: string; more?: boolean };
  /** The last instant fired or skipped: persist it so that a restart resumes from there. */
  lastFiredAt: string;
  /** The next instant to come (epoch ms), if the expression has one. */
  nextAt?: number;
}

/** How many due instants are enumerated one by one; past it the oldest are counted as skipped in bulk. */
const ENUMERATION_CAP = 10_000;

/**
 * The next instant of a cron expression in its time zone strictly after `after` (or `undefined`).
 *
 * @example
 * ```ts
 * nextScheduled({ cron: '0 9 * * 1-5', timezone: 'Europe/Paris' }, new Date('2026-03-02T08:00:00Z')); // 2026-03-03T08:00:00.000Z
 * ```
 */
export function nextScheduled(trigger: { cron: string; timezone: string }, after: Date): Date | undefined {
  return cronFor(trigger).nextRun(after) ?? undefined;
}

/**
 * Decides what a schedule trigger owes at `now`, given the last instant it fired or skipped. The
 * most recent due instant is on time when it is at most `lateToleranceMs` late, and then fires;
 * every other due instant was missed (no engine ran) and the catch-up policy decides: `none` skips
 * them, `latest` fires the most recent (when nothing fired on time), `all` fires each of the most
 * recent `maxCatchUp`. Pure: times come from the caller, never from croner's timers.
 *
 * @example
 * ```ts
 * const d = scheduleDecision(trigger, '2026-03-02T00:00:00.000Z', new Date('2026-03-02T05:00:30Z'));
 * // hourly, catchUp 'none': fires 05:00 (30 s late, on time), skips 01:00–04:00
 * ```
 */
export function scheduleDecision(
  trigger: Pick<Required<ScheduleTrigger>, 'cron' | 'timezone' | 'catchUp' | 'lateToleranceMs' | 'maxCatchUp'>,
  lastFiredAt: string,
  now: Date,
): ScheduleDecision {
  const cron = cronFor(trigger);
  const due: Date[] = [];
  let cursor: Date | null = new Date(lastFiredAt);
  let bulkSkipped = 0;
  let jumpedTo: Date | undefined;
  for (;;) {
    cursor = cron.nextRun(cursor);
    if (!cursor || cursor.getTime() > now.getTime()) break;
    due.push(cursor);
    if (due.length >= ENUMERATION_CAP) {
      // Stopped for a very long time: count the enumerated instants as skipped and jump close to now.
      bulkSkipped += due.length;
      jumpedTo = latestBefore(cron, now, cursor);
      due.length = 0;
      cursor = jumpedTo;
    }
  }
  const last = due.at(-1);
  const lastIso = (last ?? jumpedTo)?.toISOString() ?? lastFiredAt;
  const next = cron.nextRun(new Date(lastIso));
  const decision: ScheduleDecision = {
    fires: [],
    skipped: { count: bulkSkipped, ...(bulkSkipped > 0 ? { more: true } : {}) },
    lastFiredAt: lastIso,
    ...(next ? { nextAt: next.getTime() } : {}),
  };
  if (!last) return decision;
  const onTime = now.getTime() - last.getTime() <= trigger.lateToleranceMs;
  const missed = onTime ? due.slice(0, -1) : due;
  let caughtUp: Date[] = [];
  if (trigger.catchUp === 'all') caughtUp = missed.slice(-trigger.maxCatchUp);
  else if (trigger.catchUp === 'latest' && !onTime) caughtUp = missed.slice(-1);
  const skipped = missed.slice(0, missed.length - caughtUp.length);
  decision.fires = caughtUp.map((d) => ({ scheduledFor: d.toISOString(), catchUp: true }));
  if (onTime) decision.fires.push({ scheduledFor: last.toISOString(), catchUp: false });
  decision.skipped.count += skipped.length;
  if (skipped.length > 0) {
    decision.skipped.first ??= skipped[0]?.toISOString();
    decision.skipped.last = skipped.at(-1)?.toISOString();
  }
  return decision;
}

/** An instant of the schedule a little before `now` (searching back in widening steps), else `floor`. */
function latestBefore(cron: Schedule, now: Date, floor: Date): Date {
  for (let back = 60_000; back < 400 * 24 * 3_600_000; back *= 4) {
    const from = new Date(Math.max(now.getTime() - back, floor.getTime()));
    const candidate = cron.nextRun(from);
    if (candidate && candidate.getTime() <= now.getTime()) return from;
    if (from.getTime() === floor.getTime()) break;
  }
  return floor;
}
