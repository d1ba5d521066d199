import { AdapterError, PolicyError, type RailyardError, ValidationError } from '@railyard/core/errors';

/**
 * Why the agent refused a request before (or instead of) running it: the value of
 * `details.reason` on the error it answers with. `details.httpStatus` carries the status code.
 *
 * @example
 * ```ts
 * if (isRailyardError(error) && error.details.reason === 'stale-timestamp') fixTheClock();
 * // An unknown key id and a wrong signature are both 'bad-signature': the agent does not say which keys exist.
 * ```
 */
export type HttpRefusalReason =
  | 'missing-signature'
  | 'malformed-signature'
  | 'bad-signature'
  | 'wrong-audience'
  | 'stale-timestamp'
  | 'replayed-nonce'
  | 'nonce-budget'
  | 'body-digest-mismatch'
  | 'action-not-allowed'
  | 'environment-not-allowed'
  | 'body-too-large'
  | 'too-deep'
  | 'malformed'
  | 'missing-idempotency-key'
  | 'idempotency-in-progress'
  | 'method-not-allowed'
  | 'rate-limited'
  | 'busy'
  | 'timeout'
  | 'too-slow';

/**
 * A request that is not authentic, fresh and unseen: HTTP 401. It is an `ADAPTER` error (the
 * transport refused) that is never retryable: fix the key, the secret or the clock.
 *
 * @example
 * ```ts
 * throw unauthenticated('bad-signature', 'The signature does not match: check the secret of key "design".');
 * ```
 */
export function unauthenticated(reason: HttpRefusalReason, message: string): RailyardError {
  return new AdapterError(message, { retryable: false, details: { httpStatus: 401, reason } });
}

/**
 * An authentic request the key may not make: HTTP 403, a `POLICY_DENIED` error with rule `actor-role`.
 *
 * @example
 * ```ts
 * throw forbidden('action-not-allowed', 'Key "read-only" may not approve.', { keyId: 'read-only', action: 'approve' });
 * ```
 */
export function forbidden(
  reason: 'action-not-allowed' | 'environment-not-allowed' | 'act-on-behalf-not-allowed',
  message: string,
  details: Record<string, unknown>,
): RailyardError {
  return new PolicyError('actor-role', message, { httpStatus: 403, reason, ...details });
}

/**
 * A body longer than its limit or its declared length: HTTP 413, a `VALIDATION` error. Nothing was stored.
 *
 * @example
 * ```ts
 * throw tooLarge(1_048_576, 'The JSON body is over 1048576 bytes.');
 * ```
 */
export function tooLarge(limit: number, message: string): RailyardError {
  return new ValidationError(message, { details: { httpStatus: 413, reason: 'body-too-large', limit } });
}

/**
 * A request that cannot be understood (bad JSON, a bad header, an unknown method): HTTP 400 or 405.
 *
 * @example
 * ```ts
 * throw malformed('The body is not JSON: send application/json.');
 * ```
 */
export function malformed(message: string, httpStatus: 400 | 405 = 400): RailyardError {
  return new ValidationError(message, {
    details: { httpStatus, reason: httpStatus === 405 ? 'method-not-allowed' : 'malformed' },
  });
}

/**
 * Too many requests from one key: HTTP 429 with `Retry-After`; retryable.
 *
 * @example
 * ```ts
 * throw rateLimited('design', 2);
 * ```
 */
export function rateLimited(keyId: string, retryAfterSeconds: number): RailyardError {
  return new AdapterError(
    `Key "${keyId}" is over its request rate: retry after ${retryAfterSeconds} s, or raise limits.rate on the agent.`,
    { retryable: true, details: { httpStatus: 429, reason: 'rate-limited', retryAfterSeconds } },
  );
}

/**
 * The agent is at a capacity limit (uploads or event streams in flight): HTTP 503 with `Retry-After`; retryable.
 *
 * @example
 * ```ts
 * throw busy('4 uploads are already in progress', 1);
 * ```
 */
export function busy(what: string, retryAfterSeconds: number): RailyardError {
  return new AdapterError(`The agent is busy: ${what}. Retry after ${retryAfterSeconds} s.`, {
    retryable: true,
    details: { httpStatus: 503, reason: 'busy', retryAfterSeconds },
  });
}

/**
 * A body that stopped arriving: HTTP 408; retryable. Nothing was stored.
 *
 * @example
 * ```ts
 * throw timedOut(30_000);
 * ```
 */
export function timedOut(idleMs: number): RailyardError {
  return new AdapterError(
    `No body bytes arrived for ${idleMs} ms; the request was abandoned and nothing was stored. Retry it.`,
    { retryable: true, details: { httpStatus: 408, reason: 'timeout', idleMs } },
  );
}

/**
 * A key with as many nonces inside the timestamp window as its budget allows: HTTP 429; retryable
 * once some expire. One key cannot fill the nonce store for every other key.
 * @internal
 */
export function nonceBudgetSpent(keyId: string, budget: number, windowSeconds: number): RailyardError {
  return new AdapterError(
    `Key "${keyId}" has ${budget} requests inside the ${windowSeconds} s timestamp window (limits.noncesPerKey): slow down, or raise the limit on the agent.`,
    { retryable: true, details: { httpStatus: 429, reason: 'nonce-budget', retryAfterSeconds: 5 } },
  );
}

/**
 * A body arriving slower than the agent accepts (its total deadline, or its minimum rate): HTTP
 * 408; retryable. Nothing was stored.
 * @internal
 */
export function tooSlow(message: string): RailyardError {
  return new AdapterError(`${message} The upload was abandoned and nothing was stored. Retry it over a faster link.`, {
    retryable: true,
    details: { httpStatus: 408, reason: 'too-slow' },
  });
}

/**
 * JSON nested deeper than the agent accepts: HTTP 422, a `VALIDATION` error. Nothing was stored.
 * @internal
 */
export function tooDeep(limit: number): RailyardError {
  return new ValidationError(
    `The JSON body is nested more than ${limit} levels deep (limits.maxJsonDepth): Railyard's requests never nest that deep; send the request a Railyard client builds.`,
    { details: { httpStatus: 422, reason: 'too-deep', limit } },
  );
}
