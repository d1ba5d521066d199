/**
 * Time, injected so that tests can fake it. The engine never reads `Date.now()` directly.
 *
 * @example
 * ```ts
 * const clock: Clock = systemClock;
 * await clock.sleep(1000, abortController.signal);
 * ```
 */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The wall clock.
 *
 * @example
 * ```ts
 * createRailyard({ store, blobs, clock: systemClock });
 * ```
 */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
