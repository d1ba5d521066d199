import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@railyard/core/errors';

/**
 * The key bytes of a Standard Webhooks secret: base64, optionally prefixed `whsec_`, at least 24 bytes.
 *
 * @example
 * ```ts
 * webhookSecretBytes('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').length; // 24
 * ```
 */
export function webhookSecretBytes(secret: string): Buffer {
  const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(base64) ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
  if (bytes.length < 24) {
    throw new ValidationError(
      'A webhook secret must be base64 of at least 24 bytes, optionally prefixed "whsec_" (e.g. "whsec_" + `openssl rand -base64 32`).',
    );
  }
  return bytes;
}

/**
 * The `webhook-signature` value of one message, in the Standard Webhooks form `v1,<base64>`: the
 * HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret's bytes.
 *
 * @example
 * ```ts
 * signWebhook({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' });
 * // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 * ```
 */
export function signWebhook(input: { secret: string; id: string; timestamp: number; body: string }): string {
  const mac = createHmac('sha256', webhookSecretBytes(input.secret))
    .update(`${input.id}.${input.timestamp}.${input.body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * Verifies a received webhook the way a Standard Webhooks receiver does: the timestamp within
 * `toleranceSeconds` of `now`, and one of the space-separated `v1,` signatures matching (in
 * constant time) under one of the secrets. Returns `true` or `false`; never throws on bad input.
 *
 * @example
 * ```ts
 * const ok = verifyWebhook({ secrets: [secret], headers: { id, timestamp, signature }, body: rawBody, now: new Date() });
 * ```
 */
export function verifyWebhook(input: {
  secrets: string[];
  headers: { id: string; timestamp: string; signature: string };
  body: string;
  now: Date;
  toleranceSeconds?: number;
}): boolean {
  const { id, timestamp, signature } = input.headers;
  if (!/^[0-9]{1,12}$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(input.now.getTime() / 1000 - seconds) > (input.toleranceSeconds ?? 300)) return false;
  let ok = false;
  for (const secret of input.secrets) {
    const expected = Buffer.from(signWebhook({ secret, id, timestamp: seconds, body: input.body }));
    for (const candidate of signature.split(' ')) {
      const presented = Buffer.from(candidate);
      if (presented.length === expected.length && timingSafeEqual(presented, expected)) ok = true;
    }
  }
  return ok;
}
