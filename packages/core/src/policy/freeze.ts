import { cronClass } from '../model/lazy-croner.js';
import type { Policy } from '../model/policy.js';

/** A freeze in force: until when, and why. */
export interface ActiveFreeze {
  from: string;
  until: string;
  reason?: string;
  recurring?: string;
}

/**
 * The freeze in force at an instant, if any: a one-off window, or an occurrence of a recurring
 * freeze that started less than its duration ago. When several overlap, the one ending last.
 *
 * @example
 * ```ts
 * const freeze = activeFreeze(policy, clock.now());
 * if (freeze) console.log('frozen until', freeze.until);
 * ```
 */
export function activeFreeze(policy: Policy, at: Date): ActiveFreeze | undefined {
  const now = at.toISOString();
  const found: ActiveFreeze[] = policy.freeze.windows
    .filter((w) => w.from <= now && now < w.until)
    .map((w) => ({ from: w.from, until: w.until, ...(w.reason ? { reason: w.reason } : {}) }));
  for (const recurring of policy.freeze.recurring) {
    // The first occurrence after (now - duration) is in force if it has started by now.
    const Cron = cronClass();
    const start = new Cron(recurring.cron, { timezone: recurring.timezone, paused: true }).nextRun(
      new Date(at.getTime() - recurring.durationMs),
    );
    if (start && start.getTime() <= at.getTime()) {
      found.push({
        from: start.toISOString(),
        until: new Date(start.getTime() + recurring.durationMs).toISOString(),
        recurring: recurring.cron,
        ...(recurring.reason ? { reason: recurring.reason } : {}),
      });
    }
  }
  return found.sort((a, b) => (a.until < b.until ? 1 : -1))[0];
}
