import type { StateStore } from '@railyard/core/adapters';
import { nonceBudgetSpent, unauthenticated } from '../errors.js';
import { createReplayCache } from './replay-cache.js';
import type { VerifiedRequest } from './verify-request.js';

/** Refuses a verified request whose nonce was used before. @internal */
export type NonceGuard = (verified: VerifiedRequest, nowMs: number) => Promise<void>;

/**
 * The agent's replay check, after the signature holds: first this process's per-key cache (a
 * replay it saw, or a key over its budget, costs no store round trip), then the state store's
 * `rememberNonce`, which is the authority across restarts and every replica sharing the store.
 * Nonces are scoped by audience and key.
 * @internal
 */
export function createNonceGuard(options: {
  store: Pick<StateStore, 'rememberNonce'>;
  audience: string;
  maxPerKey: number;
  windowSeconds: number;
}): NonceGuard {
  const cache = createReplayCache({ maxPerKey: options.maxPerKey });
  const replayed = (verified: VerifiedRequest) =>
    unauthenticated(
      'replayed-nonce',
      `Nonce "${verified.nonce}" of key "${verified.keyId}" was already used: sign every request, including retries, with a fresh nonce.`,
    );
  return async (verified, nowMs) => {
    const local = cache.remember(verified.keyId, verified.nonce, verified.nonceExpiresAtMs, nowMs);
    if (local === 'replayed') throw replayed(verified);
    if (local === 'full') throw nonceBudgetSpent(verified.keyId, options.maxPerKey, options.windowSeconds);
    const fresh = await options.store.rememberNonce?.({
      scope: `${options.audience}/${verified.keyId}`,
      nonce: verified.nonce,
      expiresAt: new Date(verified.nonceExpiresAtMs),
      now: new Date(nowMs),
    });
    if (fresh !== true) throw replayed(verified);
  };
}
