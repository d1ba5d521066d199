import { timingSafeEqual } from 'node:crypto';
import { busy, unauthenticated } from '../errors.js';
import { canonicalRequest, hmacHex, SIGNATURE_HEADERS } from './canonical.js';
import type { ReplayCache } from './replay-cache.js';

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const SIGNATURE = /^v1=([0-9a-f]{64})$/;

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
  nowMs: number;
  /** How far the request's timestamp may be from now, either way (seconds). */
  skewSeconds: number;
  replay: ReplayCache;
}

/** What a verified request proved. */
export interface VerifiedRequest {
  keyId: string;
  /** The body digest the signature covers; the caller checks the body against it. */
  contentSha256: string;
}

/**
 * Checks a request's signature headers, in this order: all present and well formed, a known key,
 * the HMAC under one of the key's secrets (compared in constant time), the timestamp within the
 * window, and a nonce not seen before (remembered only once the HMAC is valid, so strangers cannot
 * fill the cache). Throws a 401 error naming what failed and what to do.
 *
 * @example
 * ```ts
 * const { keyId, contentSha256 } = verifyRequest({ method, target, header, secretsOf, nowMs: Date.now(), skewSeconds: 300, replay });
 * ```
 */
export function verifyRequest(input: VerifyRequestInput): VerifiedRequest {
  const value = (name: string) => input.header(name)?.trim() ?? null;
  const keyId = value(SIGNATURE_HEADERS.keyId);
  const timestamp = value(SIGNATURE_HEADERS.timestamp);
  const nonce = value(SIGNATURE_HEADERS.nonce);
  const contentSha256 = value(SIGNATURE_HEADERS.contentSha256);
  const signature = value(SIGNATURE_HEADERS.signature);
  if (!keyId || !timestamp || !nonce || !contentSha256 || !signature) {
    throw unauthenticated(
      'missing-signature',
      `The request is not signed: send the headers ${Object.values(SIGNATURE_HEADERS).join(', ')} (use httpTransport or signRequest from @railyard/adapter-http).`,
    );
  }
  const mac = SIGNATURE.exec(signature)?.[1];
  if (!KEY_ID.test(keyId) || !TIMESTAMP.test(timestamp) || !NONCE.test(nonce) || !SHA256.test(contentSha256) || !mac) {
    throw unauthenticated(
      'malformed-signature',
      'A signature header is malformed: expected a key id, a timestamp in seconds, a 16–128 character base64url nonce, a hex sha256 and "v1=<hex hmac>".',
    );
  }
  const secrets = input.secretsOf(keyId);
  if (!secrets) throw unauthenticated('unknown-key', `Key "${keyId}" is not known to this agent: check the key id.`);
  const seconds = Number(timestamp);
  const canonical = canonicalRequest({
    method: input.method,
    target: input.target,
    contentSha256,
    timestamp: seconds,
    nonce,
    keyId,
  });
  const presented = Buffer.from(mac, 'hex');
  let matched = false;
  // Every secret is tried, so the time taken does not tell which one matched.
  for (const secret of secrets) {
    if (timingSafeEqual(presented, Buffer.from(hmacHex(secret, canonical), 'hex'))) matched = true;
  }
  if (!matched) {
    throw unauthenticated(
      'bad-signature',
      `The signature of key "${keyId}" does not match this request: check the secret, and that nothing between the client and the agent rewrites the method, path, query or body.`,
    );
  }
  const skewMs = input.skewSeconds * 1000;
  if (Math.abs(input.nowMs - seconds * 1000) > skewMs) {
    throw unauthenticated(
      'stale-timestamp',
      `The request was signed at ${new Date(seconds * 1000).toISOString()}, more than ${input.skewSeconds} s from the agent's clock (${new Date(input.nowMs).toISOString()}): sync the clocks (NTP) and send a freshly signed request.`,
    );
  }
  const remembered = input.replay.remember(`${keyId}\n${nonce}`, seconds * 1000 + skewMs + 1, input.nowMs);
  if (remembered === 'replayed') {
    throw unauthenticated(
      'replayed-nonce',
      `Nonce "${nonce}" of key "${keyId}" was already used: sign every request, including retries, with a fresh nonce.`,
    );
  }
  if (remembered === 'full') {
    throw busy(
      'its replay cache is full of nonces still inside the timestamp window (raise limits.replayCacheSize)',
      5,
    );
  }
  return { keyId, contentSha256 };
}
