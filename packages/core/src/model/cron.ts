import { cronClass } from './lazy-croner.js';

/** Zones with no offset ever: no zone database needed. @internal */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

/** A schedule whose next instants are memoised: time-zone arithmetic in croner costs about 0.25 ms a call. */
/** @internal */
export interface Schedule {
  nextRun(after: Date): Date | null;
}
const schedules = new Map<string, Schedule>();

/**
 * A croner schedule, cached by expression and zone; it never starts a timer (no function is given).
 * @internal
 */
export function cronFor(trigger: { cron: string; timezone: string }): Schedule {
  const key = `${trigger.timezone} ${trigger.cron}`;
  let schedule = schedules.get(key);
  if (!schedule) {
    // UTC needs no zone database: an offset of 0 gives the same instants far faster.
    const Cron = cronClass();
    const cron = new Cron(
      trigger.cron,
      UTC_ZONES.has(trigger.timezone) ? { utcOffset: 0 } : { timezone: trigger.timezone },
    );
    const memo = new Map<number, Date | null>();
    schedule = {
      nextRun(after) {
        const at = after.getTime();
        if (memo.has(at)) return memo.get(at) ?? null;
        if (memo.size > 1000) memo.clear();
        const next = cron.nextRun(after);
        memo.set(at, next);
        return next;
      },
    };
    if (schedules.size > 1000) schedules.clear();
    schedules.set(key, schedule);
  }
  return schedule;
}

/**
 * Why a cron expression in a time zone is unusable, or `undefined` when it is fine (memoised, as
 * every stored run re-validates its scenario's triggers when it is read).
 * @internal
 */
export function cronProblem(cron: string, timezone: string): string | undefined {
  try {
    cronFor({ cron, timezone }).nextRun(new Date(0));
    if (!UTC_ZONES.has(timezone)) new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch (error) {
    schedules.delete(`${timezone} ${cron}`);
    return error instanceof Error ? error.message : String(error);
  }
}
