import { isRailyardError, type RailyardError } from './railyard-error.js';
import { AdapterError } from './storage-errors.js';

/** Node.js network error codes after which the same call may succeed (a dropped or refused connection). */
const TRANSIENT_NODE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAGAIN',
  'EBUSY',
]);

/**
 * What an adapter knows about one failure, for {@link adapterError}.
 *
 * @example
 * ```ts
 * const failure: AdapterFailure = { operation: 'PostgreSQL state store: commit', cause: error, retryable: true };
 * ```
 */
export interface AdapterFailure {
  /** What was being done, as the message should name it: `'PostgreSQL state store: commit'`. */
  operation: string;
  /** What the backend threw. Kept as `cause` (never serialised: it may hold secrets). */
  cause: unknown;
  /**
   * Whether the same call may succeed if made again: the backend's own knowledge (an SQLSTATE, an
   * HTTP status, an SDK's error name). Omitted: retryable only for Node.js network errors
   * (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, …, read from `cause.code` or `cause.cause.code`).
   */
  retryable?: boolean;
  /** What went wrong, in the backend's words; defaults to the cause's message. */
  reason?: string;
  /** What to do next, appended to the message: what to check, what to change. */
  hint?: string;
  /** Facts a program can act on (`sqlstate`, `httpStatus`, the SDK's error name). */
  details?: Record<string, unknown>;
}

/**
 * Classifies a failure of an adapter's backend into the error the core expects: an `AdapterError`
 * (code `ADAPTER`) that keeps the cause, says what failed and what to do, and is `retryable` when
 * the same call may succeed. Railyard errors (a `VersionConflictError`, a `ValidationError`) pass
 * through unchanged. The core retries what is retryable, with back-off: an adapter classifies,
 * it never retries on its own.
 *
 * @example
 * ```ts
 * import { adapterError } from '@railyard/core/adapters';
 *
 * const TRANSIENT = new Set(['40001', '40P01', '57P01']);
 * try {
 *   return await pool.query(sql, values);
 * } catch (error) {
 *   const sqlstate = (error as { code?: string }).code;
 *   throw adapterError({
 *     operation: 'my store: get(deployment)',
 *     cause: error,
 *     retryable: sqlstate !== undefined && TRANSIENT.has(sqlstate) ? true : undefined,
 *     hint: 'Check that the database is reachable.',
 *     details: { sqlstate },
 *   });
 * }
 * ```
 */
export function adapterError(failure: AdapterFailure): RailyardError {
  const { cause } = failure;
  if (isRailyardError(cause)) return cause;
  const reason = (failure.reason ?? (cause instanceof Error ? cause.message : String(cause))).replace(/\.+$/, '');
  return new AdapterError(`${failure.operation} failed: ${reason}.${failure.hint ? ` ${failure.hint}` : ''}`, {
    cause,
    retryable: failure.retryable ?? isTransientNetworkError(cause),
    ...(failure.details ? { details: failure.details } : {}),
  });
}

/**
 * Whether a thrown value is a Node.js network error after which the same call may succeed.
 * @internal
 */
export function isTransientNetworkError(error: unknown): boolean {
  const value = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    cause?: { code?: unknown };
  };
  const code = typeof value.code === 'string' ? value.code : value.cause?.code;
  return typeof code === 'string' && TRANSIENT_NODE_CODES.has(code);
}
