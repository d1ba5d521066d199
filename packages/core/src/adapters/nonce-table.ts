import type { NonceClaim } from '../contracts/state-store.js';
import { ValidationError } from '../errors/errors.js';

/** Checks a nonce claim's shape once, the same way in every first-party store. @internal */
export function checkNonceClaim(claim: NonceClaim): void {
  const ok =
    claim &&
    typeof claim.scope === 'string' &&
    claim.scope.length > 0 &&
    claim.scope.length <= 300 &&
    typeof claim.nonce === 'string' &&
    claim.nonce.length > 0 &&
    claim.nonce.length <= 200 &&
    claim.expiresAt instanceof Date &&
    Number.isFinite(claim.expiresAt.getTime()) &&
    claim.now instanceof Date &&
    Number.isFinite(claim.now.getTime());
  if (!ok)
    throw new ValidationError(
      'rememberNonce: needs { scope: 1–300 characters, nonce: 1–200 characters, expiresAt: a Date, now: a Date }.',
    );
}

/**
 * Nonces and their expiry in memory: the memory store's whole implementation of `rememberNonce`,
 * and the file store's index of its nonce file. Expired entries are pruned as time passes (at most
 * once a second of the callers' clock, then all of them), so the table holds only live nonces.
 * @internal
 */
export class NonceTable {
  readonly #entries = new Map<string, number>();
  #prunedAt = Number.NEGATIVE_INFINITY;

  /** `true` when the nonce was not live (now remembered), `false` on a replay. */
  remember(claim: NonceClaim): boolean {
    const now = claim.now.getTime();
    this.prune(now);
    const key = `${claim.scope}\n${claim.nonce}`;
    const seen = this.#entries.get(key);
    if (seen !== undefined && seen > now) return false;
    this.#entries.set(key, claim.expiresAt.getTime());
    return true;
  }

  /** Loads a remembered entry (from a file) without checking it. */
  load(scope: string, nonce: string, expiresAtMs: number): void {
    const key = `${scope}\n${nonce}`;
    this.#entries.set(key, Math.max(expiresAtMs, this.#entries.get(key) ?? Number.NEGATIVE_INFINITY));
  }

  /** Forgets expired entries (at most once a second unless `force`). */
  prune(nowMs: number, force = false): void {
    if (!force && nowMs - this.#prunedAt < 1_000) return;
    this.#prunedAt = nowMs;
    for (const [key, expiresAt] of this.#entries) if (expiresAt <= nowMs) this.#entries.delete(key);
  }

  /** The live entries, for rewriting a nonce file. */
  *entries(): Generator<{ scope: string; nonce: string; expiresAtMs: number }> {
    for (const [key, expiresAtMs] of this.#entries) {
      const cut = key.indexOf('\n');
      yield { scope: key.slice(0, cut), nonce: key.slice(cut + 1), expiresAtMs };
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
