import { timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../errors.js';
import { canonicalRequest, hmacHex, IDEMPOTENCY_HEADER, SIGNATURE_HEADERS } from './canonical.js';

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const SIGNATURE = /^v2=([0-9a-f]{64})$/;
const AUDIENCE = /^[\x21-\x7e]{1,200}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Reads one request header by its lower-case name (`null` when absent). */
export type HeaderReader = (name: string) => string | null;

/** Input of {@link verifyRequest}. */
export interface VerifyRequestInput {
  method: string;
  /** Path and query exactly as received. */
  target: string;
  header: HeaderReader;
  /** The secrets of each key id; any one of them may have signed (rotation). */
  secretsOf: (keyId: string) => readonly string[] | undefined;
  /**
   * The most secrets any key has: a request naming an unknown key is checked against as many
   * stand-in secrets, so it costs the same time as a known key with a wrong signature.
   */
  maxSecrets: number;
  /** This agent's audience: a request signed for another is refused. */
  audience: string;
  nowMs: number;
  /** How far the request's timestamp may be from now, either way (seconds). */
  skewSeconds: number;
}

/** What a verified request proved. */
export interface VerifiedRequest {
  keyId: string;
  /** The body digest the signature covers; the caller checks the body against it. */
  contentSha256: string;
  nonce: string;
  /** When the nonce may be forgotten: past it the timestamp alone refuses the request (ms). */
  nonceExpiresAtMs: number;
  /** The signed `Idempotency-Key`, if the request has one. */
  idempotencyKey?: string;
}

/** Secrets no key has, so an unknown key runs the same code as a wrong signature. */
const STAND_INS = Array.from({ length: 16 }, (_, i) => `railyard-unknown-key-stand-in-${i}-${'x'.repeat(32)}`);

/**
 * Checks a request's signature headers, in this order: all present and well formed, the HMAC under
 * one of the key's secrets (compared in constant time; an unknown key is answered exactly like a
 * wrong signature, after the same work, so keys cannot be enumerated), the audience, and the
 * timestamp within the window. The nonce is the caller's to check next (see `nonce-guard.ts`),
 * only once the signature holds, so strangers cannot fill the nonce store. Throws a 401 error
 * naming what failed and what to do.
 *
 * @example
 * ```ts
 * const verified = verifyRequest({ method, target, header, secretsOf, maxSecrets: 2, audience: 'production', nowMs: Date.now(), skewSeconds: 300 });
 * ```
 */
export function verifyRequest(input: VerifyRequestInput): VerifiedRequest {
  const value = (name: string) => input.header(name)?.trim() ?? null;
  const keyId = value(SIGNATURE_HEADERS.keyId);
  const timestamp = value(SIGNATURE_HEADERS.timestamp);
  const nonce = value(SIGNATURE_HEADERS.nonce);
  const contentSha256 = value(SIGNATURE_HEADERS.contentSha256);
  const audience = value(SIGNATURE_HEADERS.audience);
  const signature = value(SIGNATURE_HEADERS.signature);
  const idempotencyKey = value(IDEMPOTENCY_HEADER) ?? undefined;
  if (!keyId || !timestamp || !nonce || !contentSha256 || !audience || !signature) {
    throw unauthenticated(
      'missing-signature',
      `The request is not signed: send the headers ${Object.values(SIGNATURE_HEADERS).join(', ')} (use httpTransport or signRequest from @railyard/adapter-http).`,
    );
  }
  const mac = SIGNATURE.exec(signature)?.[1];
  if (
    !KEY_ID.test(keyId) ||
    !TIMESTAMP.test(timestamp) ||
    !NONCE.test(nonce) ||
    !SHA256.test(contentSha256) ||
    !AUDIENCE.test(audience) ||
    (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) ||
    !mac
  ) {
    throw unauthenticated(
      'malformed-signature',
      'A signature header is malformed: expected a key id, a timestamp in seconds, a 16–128 character base64url nonce, a hex sha256, an audience and "v2=<hex hmac>" (and an Idempotency-Key of 1–200 printable ASCII characters). Sign with signRequest from @railyard/adapter-http.',
    );
  }
  const seconds = Number(timestamp);
  const canonical = canonicalRequest({
    method: input.method,
    target: input.target,
    contentSha256,
    timestamp: seconds,
    nonce,
    keyId,
    audience,
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
  });
  const known = input.secretsOf(keyId);
  const secrets = known ?? STAND_INS.slice(0, Math.max(1, Math.min(input.maxSecrets, STAND_INS.length)));
  const presented = Buffer.from(mac, 'hex');
  let matched = false;
  // Every secret is tried, so the time taken does not tell which one matched.
  for (const secret of secrets) {
    if (timingSafeEqual(presented, Buffer.from(hmacHex(secret, canonical), 'hex'))) matched = true;
  }
  if (!matched || !known) {
    throw unauthenticated(
      'bad-signature',
      `The signature does not verify for key "${keyId}": check the key id and its secret on both sides, and that nothing between the client and the agent rewrites the method, path, query or body.`,
    );
  }
  if (audience !== input.audience) {
    throw unauthenticated(
      'wrong-audience',
      `The request was signed for "${audience}", not for this agent ("${input.audience}"): set the client's audience to this agent's.`,
    );
  }
  const skewMs = input.skewSeconds * 1000;
  if (Math.abs(input.nowMs - seconds * 1000) > skewMs) {
    throw unauthenticated(
      'stale-timestamp',
      `The request was signed at ${new Date(seconds * 1000).toISOString()}, more than ${input.skewSeconds} s from the agent's clock (${new Date(input.nowMs).toISOString()}): sync the clocks (NTP) and send a freshly signed request.`,
    );
  }
  return {
    keyId,
    contentSha256,
    nonce,
    nonceExpiresAtMs: seconds * 1000 + skewMs + 1,
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
  };
}
