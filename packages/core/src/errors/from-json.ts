import { RailyardError, type RailyardErrorCode, type RailyardErrorJSON } from './railyard-error.js';
import {
  IdempotencyConflictError,
  IllegalTransitionError,
  NotFoundError,
  PolicyError,
  type PolicyRule,
  ValidationError,
  VersionConflictError,
} from './request-errors.js';
import {
  AdapterError,
  ArchiveError,
  type ArchiveRefusalReason,
  BlobIntegrityError,
  BundleConflictError,
  CapabilityError,
  StoreLockedError,
  StoreReadOnlyError,
} from './storage-errors.js';
import {
  AbortedError,
  CheckFailedError,
  SecretUnavailableError,
  SettleLimitError,
  TimeoutError,
} from './work-errors.js';

type Details = Record<string, unknown>;
const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));
const version = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * One constructor per code, so that adding a code without a class does not compile. Each builds
 * the class from the wire details; the wire's message, retryability and details then win.
 */
const BUILD: { [TCode in RailyardErrorCode]: (json: RailyardErrorJSON, details: Details) => RailyardError } = {
  VALIDATION: (json) => new ValidationError(json.message),
  NOT_FOUND: (_, d) => new NotFoundError(text(d.kind), text(d.id)),
  VERSION_CONFLICT: (_, d) =>
    new VersionConflictError({
      kind: text(d.kind),
      id: text(d.id),
      expected: version(d.expected),
      actual: version(d.actual),
    }),
  POLICY_DENIED: (json, d) => new PolicyError(d.rule as PolicyRule, json.message),
  ILLEGAL_TRANSITION: (_, d) =>
    new IllegalTransitionError({
      machine: text(d.machine),
      from: text(d.from),
      event: text(d.event),
      ...(typeof d.guard === 'string' ? { guard: d.guard } : {}),
    }),
  ADAPTER: (json) => new AdapterError(json.message),
  CAPABILITY_MISSING: (json, d) => new CapabilityError(text(d.capability), json.message),
  STORE_LOCKED: (_, d) =>
    new StoreLockedError({ dir: text(d.dir), lockFile: text(d.lockFile), pid: version(d.pid), host: null }),
  STORE_READ_ONLY: (_, d) =>
    new StoreReadOnlyError({
      dir: text(d.dir),
      aside: text(d.aside),
      commit: version(d.commit) ?? 0,
      seq: version(d.seq) ?? 0,
    }),
  BLOB_INTEGRITY: (json, d) => new BlobIntegrityError(d, json.message),
  BUNDLE_CONFLICT: (json) => new BundleConflictError(json.message),
  IDEMPOTENCY_CONFLICT: (json) => new IdempotencyConflictError(json.message),
  TIMEOUT: (json) => new TimeoutError(json.message),
  SETTLE_LIMIT: (_, d) => new SettleLimitError(typeof d.maxSteps === 'number' ? d.maxSteps : 0),
  ABORTED: (json) => new AbortedError(json.message),
  CHECK_FAILED: (json) => new CheckFailedError(json.message),
  ARCHIVE_REFUSED: (json, d) => new ArchiveError(d.reason as ArchiveRefusalReason, json.message),
  SECRET_UNAVAILABLE: (_, d) =>
    new SecretUnavailableError({
      secret: text(d.secret),
      environment: text(d.environment),
      reason: d.reason === 'missing' || d.reason === 'no-resolver' ? d.reason : 'resolver-failed',
    }),
};

/**
 * Rebuilds a {@link RailyardError} from its JSON form (for instance an HTTP error body), as an
 * instance of the class its code names, so `instanceof PolicyError` keeps working across sites.
 * A code this version does not know (sent by a newer peer) becomes a plain `RailyardError`.
 *
 * @example
 * ```ts
 * const error = railyardErrorFromJSON(await response.json());
 * ```
 */
export function railyardErrorFromJSON(json: RailyardErrorJSON): RailyardError {
  const details: Details = { ...(json.details ?? {}) };
  const build = Object.hasOwn(BUILD, json.code) ? BUILD[json.code] : undefined;
  const error = build ? build(json, details) : new RailyardError(json.code, json.message);
  // The wire's values win over what the constructor derived (messages may have been worded by another version).
  const fields = error as { -readonly [K in 'message' | 'retryable' | 'details' | 'name']: RailyardError[K] };
  fields.message = json.message;
  fields.retryable = json.retryable === true;
  fields.details = details;
  if (typeof json.name === 'string' && json.name !== '') fields.name = json.name;
  return error;
}
