import type { Clock } from '../contracts/clock.js';
import { ValidationError } from '../errors/errors.js';

/** A {@link Clock} that only moves when told to. */
export interface FakeClock extends Clock {
  /** Moves time forward, waking every sleeper whose time has come, in order. */
  advance(ms: number): Promise<void>;
  /** Moves time to an instant (never backwards). */
  set(to: Date | string): Promise<void>;
  /** How many sleeps are waiting. */
  pending(): number;
}

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A fake clock for tests: `now()` is fixed until `advance`, and `sleep` resolves only when time
 * passes its deadline. A sleep of zero or less resolves at once.
 *
 * @example
 * ```ts
 * const clock = createFakeClock('2026-01-01T00:00:00.000Z');
 * const railyard = createRailyard({ store, blobs, clock });
 * await clock.advance(60_000);
 * await railyard.settle();
 * ```
 */
export function createFakeClock(start: Date | string = '2026-01-01T00:00:00.000Z'): FakeClock {
  let now = new Date(start).getTime();
  if (Number.isNaN(now))
    throw new ValidationError(`createFakeClock: "${String(start)}" is not a date; pass a Date or an ISO 8601 string.`);
  let seq = 0;
  const sleepers: Sleeper[] = [];
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function moveTo(target: number): Promise<void> {
    for (;;) {
      sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = sleepers[0];
      if (!first || first.at > target) break;
      sleepers.shift();
      now = Math.max(now, first.at);
      first.resolve();
      await flush();
    }
    now = Math.max(now, target);
    await flush();
  }

  return {
    now: () => new Date(now),
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const sleeper: Sleeper = {
          at: now + ms,
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const index = sleepers.indexOf(sleeper);
          if (index >= 0) sleepers.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    advance: (ms) => moveTo(now + ms),
    set: (to) => moveTo(new Date(to).getTime()),
    pending: () => sleepers.length,
  };
}
