/**
 * A token bucket per key: holds up to `requests` tokens, refilled at `requests / perSeconds` per
 * second; each request takes one. Time comes from the caller (the agent's clock).
 * @internal
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #capacity: number;
  readonly #perMs: number;

  constructor(rate: { requests: number; perSeconds: number }) {
    this.#capacity = rate.requests;
    this.#perMs = rate.requests / (rate.perSeconds * 1000);
  }

  /** Takes a token; returns 0 when granted, else the whole seconds to wait for one. */
  take(key: string, nowMs: number): number {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, at: nowMs };
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + Math.max(0, nowMs - bucket.at) * this.#perMs);
    bucket.at = nowMs;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }
}
