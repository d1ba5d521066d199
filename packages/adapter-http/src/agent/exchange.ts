import type { RailyardError } from '@railyard/core/errors';
import { isRailyardError } from '@railyard/core/errors';

/**
 * A request as the agent's routes see it, whichever server delivered it (`node:http` or a
 * WHATWG `fetch` handler): the body is a stream read at most once.
 * @internal
 */
export interface AgentRequest {
  method: string;
  /** Path and query exactly as on the request line. */
  target: string;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array> | null;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** @internal */
export interface AgentResponse {
  status: number;
  headers: Record<string, string>;
  /** A whole body, or a stream of text (the event stream). */
  body: string | AsyncIterable<string> | null;
}

/** @internal */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): AgentResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}

/** HTTP status of each error code the engine throws; refusals carry their own in `details.httpStatus`. */
const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION: 422,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  POLICY_DENIED: 403,
  ILLEGAL_TRANSITION: 409,
  BUNDLE_CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  BLOB_INTEGRITY: 422,
  ARCHIVE_REFUSED: 422,
  STORE_LOCKED: 503,
  TIMEOUT: 504,
};

/** The status an error is answered with. @internal */
export function statusOf(error: RailyardError): number {
  const declared = error.details.httpStatus;
  if (typeof declared === 'number') return declared;
  const mapped = STATUS_BY_CODE[error.code];
  if (mapped !== undefined) return mapped;
  return error.retryable ? 503 : 500;
}

/**
 * The typed JSON error body (`RailyardError.toJSON()`), with `Retry-After` when the error names
 * one. Errors that are not Railyard's are answered with a generic 500 and reported to `onError`:
 * their messages may hold internals.
 * @internal
 */
export function errorResponse(error: unknown, onError: (error: unknown) => void): AgentResponse {
  if (!isRailyardError(error)) {
    onError(error);
    return json(500, {
      name: 'AdapterError',
      code: 'ADAPTER',
      message: 'The agent failed unexpectedly; the details are in its log. Retry, and report it if it persists.',
      retryable: true,
      details: { httpStatus: 500 },
    });
  }
  const status = statusOf(error);
  if (status >= 500) onError(error);
  const retryAfter = error.details.retryAfterSeconds;
  return json(status, error.toJSON(), typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {});
}
