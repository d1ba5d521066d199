import { randomBytes } from 'node:crypto';
import { canonicalRequest, hmacHex, IDEMPOTENCY_HEADER, SIGNATURE_HEADERS, type SignedParts } from './canonical.js';

/**
 * Input of {@link signRequest}.
 *
 * @example
 * ```ts
 * const input: SignRequestInput = { method: 'POST', target: '/v1/promotions', contentSha256: sha256Hex(body), keyId: 'design-site', secret, audience: 'production', idempotencyKey: 'churn-1.4.0' };
 * ```
 */
export interface SignRequestInput {
  /** The HTTP method. */
  method: string;
  /** Path and query exactly as they will be sent. */
  target: string;
  /** Lower-case hex sha256 of the body; `EMPTY_SHA256` when there is none. */
  contentSha256: string;
  /** The signing key's id. */
  keyId: string;
  /** The key's shared secret. */
  secret: string;
  /** The agent's audience, as configured on it. */
  audience: string;
  /** The command's idempotency key; it is signed and sent as `Idempotency-Key`. */
  idempotencyKey?: string;
  /** When the request is signed (defaults to now). */
  now?: Date;
  /** Defaults to 24 random bytes, base64url. Pass one only in known-answer tests. */
  nonce?: string;
}

/**
 * Signs a request for a Railyard agent: returns the signature headers to send with it (six, and
 * `Idempotency-Key` when the input has one). A fresh nonce is drawn for every call, so a retried
 * request must be signed again (with the same idempotency key).
 *
 * @example
 * ```ts
 * const headers = signRequest({ method: 'GET', target: '/v1/environments', contentSha256: EMPTY_SHA256, keyId: 'ops', secret, audience: 'production' });
 * await fetch(`${url}/v1/environments`, { headers });
 * ```
 */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const parts: SignedParts = {
    method: input.method.toUpperCase(),
    target: input.target,
    contentSha256: input.contentSha256,
    timestamp: Math.floor((input.now ?? new Date()).getTime() / 1000),
    nonce: input.nonce ?? randomBytes(24).toString('base64url'),
    keyId: input.keyId,
    audience: input.audience,
    ...(input.idempotencyKey !== undefined ? { idempotencyKey: input.idempotencyKey } : {}),
  };
  return {
    [SIGNATURE_HEADERS.keyId]: parts.keyId,
    [SIGNATURE_HEADERS.timestamp]: String(parts.timestamp),
    [SIGNATURE_HEADERS.nonce]: parts.nonce,
    [SIGNATURE_HEADERS.contentSha256]: parts.contentSha256,
    [SIGNATURE_HEADERS.audience]: parts.audience,
    [SIGNATURE_HEADERS.signature]: `v2=${hmacHex(input.secret, canonicalRequest(parts))}`,
    ...(parts.idempotencyKey !== undefined ? { [IDEMPOTENCY_HEADER]: parts.idempotencyKey } : {}),
  };
}
