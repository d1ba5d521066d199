import { createHash, createHmac } from 'node:crypto';

/**
 * The request headers that carry a Railyard HTTP signature. Header names are lower case, as both
 * `node:http` and `fetch` report them.
 *
 * @example
 * ```ts
 * request.headers.get(SIGNATURE_HEADERS.keyId); // 'design-site'
 * ```
 */
export const SIGNATURE_HEADERS = {
  /** Which key signed the request. */
  keyId: 'railyard-key-id',
  /** Seconds since the Unix epoch when the request was signed. */
  timestamp: 'railyard-timestamp',
  /** A random value used once per key; the agent refuses a nonce it has seen. */
  nonce: 'railyard-nonce',
  /** Lower-case hex sha256 of the body (of no bytes for a request without a body). */
  contentSha256: 'railyard-content-sha256',
  /** The agent the request is meant for (its configured `audience`); another agent refuses it. */
  audience: 'railyard-audience',
  /** `v2=` and the lower-case hex HMAC-SHA256 of the canonical request. */
  signature: 'railyard-signature',
} as const;

/**
 * The header that names a command (a promotion, an approval, a rollback…) so that a repeat returns
 * the first answer instead of acting again. It is part of the signed string.
 *
 * @example
 * ```ts
 * headers[IDEMPOTENCY_HEADER] = 'rollback-incident-4711';
 * ```
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * The first line of every canonical request: names the scheme and its version.
 *
 * @example
 * ```ts
 * canonicalRequest(parts).startsWith(SIGNATURE_SCHEME); // true
 * ```
 */
export const SIGNATURE_SCHEME = 'RAILYARD-HMAC-SHA256-V2';

/**
 * sha256 of no bytes, the content digest of a request without a body.
 *
 * @example
 * ```ts
 * headers[SIGNATURE_HEADERS.contentSha256] = EMPTY_SHA256;
 * ```
 */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * What a signature covers.
 *
 * @example
 * ```ts
 * const parts: SignedParts = { method: 'GET', target: '/v1/environments', contentSha256: EMPTY_SHA256, timestamp: 1767225600, nonce: 'nonce-000000000000000001', keyId: 'ops', audience: 'production' };
 * ```
 */
export interface SignedParts {
  /** Upper-case method, e.g. `PUT`. */
  method: string;
  /** The path and query exactly as sent on the request line, e.g. `/v1/blobs/sha256%3Aab…?size=5`. */
  target: string;
  /** Lower-case hex sha256 of the body. */
  contentSha256: string;
  /** Seconds since the Unix epoch. */
  timestamp: number;
  /** A random value used once per key. */
  nonce: string;
  /** The signing key's id. */
  keyId: string;
  /** The agent's audience (e.g. `https://railyard.prod.example.com`): a request signed for one agent is refused by another. */
  audience: string;
  /** The `Idempotency-Key` header, or absent (signed as an empty line). */
  idempotencyKey?: string;
}

/**
 * The string that is signed: the scheme, then method, target, body digest, timestamp, nonce, key
 * id, audience and idempotency key (empty when there is none), one per line (`\n`), with no
 * trailing newline. Every part is checked for a newline first,
 * so no two requests share a canonical string.
 *
 * @example
 * ```ts
 * canonicalRequest({ method: 'GET', target: '/v1/health', contentSha256: EMPTY_SHA256, timestamp: 1767225600, nonce, keyId: 'ops', audience: 'production' });
 * ```
 */
export function canonicalRequest(parts: SignedParts): string {
  const lines = [
    SIGNATURE_SCHEME,
    parts.method.toUpperCase(),
    parts.target,
    parts.contentSha256,
    String(parts.timestamp),
    parts.nonce,
    parts.keyId,
    parts.audience,
    parts.idempotencyKey ?? '',
  ];
  for (const line of lines) {
    if (line.includes('\n') || line.includes('\r'))
      throw new TypeError('canonicalRequest: a signed part contains a line break; refuse the request.');
  }
  return lines.join('\n');
}

/**
 * The lower-case hex HMAC-SHA256 of a canonical request under one secret (its UTF-8 bytes).
 *
 * @example
 * ```ts
 * const mac = hmacHex(secret, canonicalRequest(parts));
 * ```
 */
export function hmacHex(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

/**
 * Lower-case hex sha256 of some bytes or text.
 *
 * @example
 * ```ts
 * sha256OfBody(JSON.stringify(body));
 * ```
 */
export function sha256OfBody(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}
