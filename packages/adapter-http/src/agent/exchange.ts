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
 * Where the agent reports failures (the `onError` of `createAgent`): the whole error, and the
 * correlation id the client's answer carried.
 *
 * @example
 * ```ts
 * const onError: AgentErrorReporter = (error, { correlationId }) => logger.error({ correlationId, err: error });
 * ```
 */
export type AgentErrorReporter = (error: unknown, context: { correlationId: string }) => void;

/**
 * The typed JSON error body, with `details.correlationId` (also sent as the
 * `railyard-correlation-id` header) and `Retry-After` when the error names one. What leaves the
 * agent is only what is safe to show a client: the agent's own refusals (401, 403, 413, 429, …) and
 * the engine's 4xx errors as they are; any failure answered with 5xx (a store, a blob store, a bug)
 * only as its code, whether it is retryable, and a generic message. The whole error — messages that
 * name file paths or database hosts, causes, stacks — goes to `report` with the correlation id.
 * @internal
 */
export function errorResponse(error: unknown, report: AgentErrorReporter, correlationId: string): AgentResponse {
  const headers = { [CORRELATION_HEADER]: correlationId };
  if (!isRailyardError(error)) {
    report(error, { correlationId });
    return json(
      500,
      {
        name: 'AdapterError',
        code: 'ADAPTER',
        message: `The agent failed unexpectedly; the details are in its log under correlation id ${correlationId}. Retry, and report it with that id if it persists.`,
        retryable: true,
        details: { httpStatus: 500, correlationId },
      },
      headers,
    );
  }
  const status = statusOf(error);
  const retryAfter = error.details.retryAfterSeconds;
  const retryHeaders = typeof retryAfter === 'number' ? { ...headers, 'retry-after': String(retryAfter) } : headers;
  if (status < 500 || typeof error.details.reason === 'string') {
    if (status >= 500) report(error, { correlationId });
    const body = error.toJSON();
    return json(status, { ...body, details: { ...body.details, correlationId } }, retryHeaders);
  }
  report(error, { correlationId });
  return json(
    status,
    {
      name: error.name,
      code: error.code,
      message: `The agent could not complete the request (${error.code}); the details are in its log under correlation id ${correlationId}. ${error.retryable ? 'Retry it' : 'Give the operator that id'}.`,
      retryable: error.retryable,
      details: {
        httpStatus: status,
        correlationId,
        ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
      },
    },
    retryHeaders,
  );
}

/** The header every answer carries: the id under which the agent logged what happened. @internal */
export const CORRELATION_HEADER = 'railyard-correlation-id';
