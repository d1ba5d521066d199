/**
 * Nonces this process accepted recently, per key, each kept until the request that carried it
 * could no longer pass the timestamp window. It answers a replay without a store round trip and
 * holds each key to a budget: when a key has `maxPerKey` live nonces it is refused new ones (so one
 * key cannot fill the nonce store for all), rather than having old ones forgotten (which would let
 * a replay through). The state store stays the authority across restarts and replicas.
 *
 * @example
 * ```ts
 * const cache = createReplayCache({ maxPerKey: 50_000 });
 * cache.remember('design', 'abc…', Date.now() + 600_000, Date.now()); // 'fresh'
 * ```
 */
export interface ReplayCache {
  /** `fresh` (now remembered), `replayed` (seen before and not expired) or `full` (the key is over its budget). */
  remember(keyId: string, nonce: string, expiresAtMs: number, nowMs: number): 'fresh' | 'replayed' | 'full';
  /** How many nonces are remembered, over all keys. */
  readonly size: number;
}

/**
 * Creates an in-memory {@link ReplayCache}.
 *
 * @example
 * ```ts
 * const cache = createReplayCache({ maxPerKey: 10 });
 * ```
 */
export function createReplayCache(options: { maxPerKey: number }): ReplayCache {
  // Insertion order is roughly expiry order (the window is the same for every entry), so pruning
  // from the front stops at the first live entry.
  const keys = new Map<string, Map<string, number>>();
  let sweptAt = 0;

  function prune(entries: Map<string, number>, nowMs: number, thorough: boolean): void {
    for (const [nonce, expiresAt] of entries) {
      if (expiresAt > nowMs) {
        if (!thorough) break;
        continue;
      }
      entries.delete(nonce);
    }
  }

  return {
    remember(keyId, nonce, expiresAtMs, nowMs) {
      if (nowMs - sweptAt >= 1_000) {
        for (const [id, entries] of keys) {
          prune(entries, nowMs, false);
          if (entries.size === 0) keys.delete(id);
        }
        sweptAt = nowMs;
      }
      let entries = keys.get(keyId);
      if (!entries) {
        entries = new Map();
        keys.set(keyId, entries);
      }
      const seen = entries.get(nonce);
      if (seen !== undefined && seen > nowMs) return 'replayed';
      if (seen === undefined && entries.size >= options.maxPerKey) {
        prune(entries, nowMs, true);
        if (entries.size >= options.maxPerKey) return 'full';
      }
      entries.delete(nonce);
      entries.set(nonce, expiresAtMs);
      return 'fresh';
    },
    get size() {
      let total = 0;
      for (const entries of keys.values()) total += entries.size;
      return total;
    },
  };
}
