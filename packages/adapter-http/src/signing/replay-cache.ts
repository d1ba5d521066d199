/**
 * Nonces seen recently, each kept until the request that carried it could no longer pass the
 * timestamp window. Bounded: when full of unexpired nonces it refuses new ones instead of
 * forgetting old ones (forgetting would let a replay through).
 *
 * @example
 * ```ts
 * const cache = createReplayCache({ maxEntries: 100_000 });
 * cache.remember('design\nabc…', Date.now() + 600_000, Date.now()); // 'fresh'
 * ```
 */
export interface ReplayCache {
  /** `fresh` (now remembered), `replayed` (seen before and not expired) or `full`. */
  remember(key: string, expiresAtMs: number, nowMs: number): 'fresh' | 'replayed' | 'full';
  /** How many nonces are remembered. */
  readonly size: number;
}

/**
 * Creates an in-memory {@link ReplayCache}. One agent process owns one; run one agent per key, or
 * give each replica its own keys, since the cache is not shared between processes.
 *
 * @example
 * ```ts
 * const cache = createReplayCache({ maxEntries: 10 });
 * ```
 */
export function createReplayCache(options: { maxEntries: number }): ReplayCache {
  // Insertion order is roughly expiry order (the window is the same for every entry), so pruning
  // from the front stops at the first live entry.
  const entries = new Map<string, number>();
  let sweptAt = 0;

  function prune(nowMs: number, thorough: boolean): void {
    for (const [key, expiresAt] of entries) {
      if (expiresAt > nowMs) {
        if (!thorough) break;
        continue;
      }
      entries.delete(key);
    }
  }

  return {
    remember(key, expiresAtMs, nowMs) {
      if (nowMs - sweptAt >= 1_000) {
        prune(nowMs, false);
        sweptAt = nowMs;
      }
      const seen = entries.get(key);
      if (seen !== undefined && seen > nowMs) return 'replayed';
      if (seen === undefined && entries.size >= options.maxEntries) {
        prune(nowMs, true);
        if (entries.size >= options.maxEntries) return 'full';
      }
      entries.delete(key);
      entries.set(key, expiresAtMs);
      return 'fresh';
    },
    get size() {
      return entries.size;
    },
  };
}
