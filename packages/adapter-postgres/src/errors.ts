import { adapterError } from '@railyard/core/adapters';
import { isRailyardError, type RailyardError, VersionConflictError } from '@railyard/core/errors';

/** SQLSTATE codes (and classes) after which the same call may succeed. */
const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown (pg_terminate_backend, a server restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);
const RETRYABLE_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH']);
/** node-postgres reports a lost connection with these messages and no code. */
const LOST_CONNECTION =
  /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Client was closed/i;

interface PgErrorFields {
  code?: unknown;
  detail?: unknown;
  constraint?: unknown;
  message?: unknown;
}

/**
 * Whether an error from node-postgres means "try again": a dropped or refused connection, a
 * serialization failure, a deadlock, a server shutting down.
 * @internal
 */
export function isRetryablePgError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as PgErrorFields;
  if (
    typeof code === 'string' &&
    (RETRYABLE_SQLSTATES.has(code) || code.startsWith('08') || RETRYABLE_NODE_CODES.has(code))
  )
    return true;
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

/**
 * Turns what node-postgres threw into a Railyard error with core's `adapterError`: the commit
 * function's version conflict into `VersionConflictError`, transient failures (the SQLSTATEs
 * above, a lost connection) into a retryable `AdapterError`, anything else into a non-retryable
 * one. The core retries the retryable ones; this adapter never retries on its own.
 * @internal
 */
export function toStoreError(error: unknown, what: string): RailyardError {
  if (isRailyardError(error)) return error;
  const fields = (error ?? {}) as PgErrorFields;
  if (fields.code === 'RY001' && typeof fields.detail === 'string') {
    const info = JSON.parse(fields.detail) as { kind: string; id: string; expected: number | null; actual: unknown };
    return new VersionConflictError({ ...info, actual: info.actual === null ? null : Number(info.actual) });
  }
  const retryable = isRetryablePgError(error);
  return adapterError({
    operation: `PostgreSQL state store: ${what}`,
    cause: error,
    retryable,
    ...(retryable
      ? {
          hint: 'The connection or transaction was interrupted and nothing was changed by this attempt unless it was a commit whose reply was lost; the call is safe to retry.',
        }
      : {}),
    details: { sqlstate: fields.code ?? null },
  });
}

/**
 * A commit refused by one of the database's invariants: an environment would have had two active
 * deployments, or two in flight. It means another writer won a race the application's checks did
 * not see, so it is a `VersionConflictError` (code `VERSION_CONFLICT`): re-read and retry.
 * `details.invariant` says which invariant, `details.environment` where.
 *
 * @example
 * ```ts
 * try {
 *   await store.commit(tx);
 * } catch (error) {
 *   if (error instanceof DeploymentInvariantError) console.log(error.details.environment);
 * }
 * ```
 */
export class DeploymentInvariantError extends VersionConflictError {
  constructor(info: { invariant: 'active' | 'in flight'; environment: string; id: string; expected: number | null }) {
    super({ kind: 'deployment', id: info.id, expected: info.expected, actual: info.expected });
    this.message = `deployment "${info.id}" cannot be ${info.invariant}: environment "${info.environment}" already has a deployment ${info.invariant}, written by another writer. The database refused the commit; re-read the environment and retry.`;
    Object.assign(this.details, { invariant: info.invariant, environment: info.environment });
  }
}
