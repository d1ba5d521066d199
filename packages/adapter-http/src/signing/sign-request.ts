import { randomBytes } from 'node:crypto';
import { canonicalRequest, hmacHex, SIGNATURE_HEADERS, type SignedParts } from './canonical.js';

/**
 * Input of {@link signRequest}.
 *
 * @example
 * ```ts
 * const input: SignRequestInput = { method: 'POST', target: '/v1/promotions', contentSha256: sha256Hex(body), keyId: 'design-site', secret };
 * ```
 */
export interface SignRequestInput {
  method: string;
  /** Path and query exactly as they will be sent. */
  target: string;
  /** Lower-case hex sha256 of the body; `EMPTY_SHA256` when there is none. */
  contentSha256: string;
  keyId: string;
  secret: string;
  /** When the request is signed (defaults to now). */
  now?: Date;
  /** Defaults to 24 random bytes, base64url. Pass one only in known-answer tests. */
  nonce?: string;
}

/**
 * Signs a request for a Railyard agent: returns the five signature headers to send with it. A
 * fresh nonce is drawn for every call, so a retried request must be signed again.
 *
 * @example
 * ```ts
 * const headers = signRequest({ method: 'GET', target: '/v1/environments', contentSha256: EMPTY_SHA256, keyId: 'ops', secret });
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
  };
  return {
    [SIGNATURE_HEADERS.keyId]: parts.keyId,
    [SIGNATURE_HEADERS.timestamp]: String(parts.timestamp),
    [SIGNATURE_HEADERS.nonce]: parts.nonce,
    [SIGNATURE_HEADERS.contentSha256]: parts.contentSha256,
    [SIGNATURE_HEADERS.signature]: `v1=${hmacHex(input.secret, canonicalRequest(parts))}`,
  };
}
