/**
 * Every error Railyard throws: one base class with a stable `code`, one class per code, each
 * explained in docs/errors.md. Use `isRailyardError` rather than `instanceof` to recognise them
 * (it works across two copies of the package).
 * @packageDocumentation
 */
export {
  AbortedError,
  AdapterError,
  ArchiveError,
  type ArchiveRefusalReason,
  BlobIntegrityError,
  BundleConflictError,
  CapabilityError,
  CheckFailedError,
  IdempotencyConflictError,
  IllegalTransitionError,
  isRailyardError,
  NotFoundError,
  PolicyError,
  type PolicyRule,
  RAILYARD_ERROR_BRAND,
  RailyardError,
  type RailyardErrorCode,
  type RailyardErrorJSON,
  type RailyardErrorOptions,
  railyardErrorFromJSON,
  SecretUnavailableError,
  SettleLimitError,
  StoreLockedError,
  StoreReadOnlyError,
  TimeoutError,
  ValidationError,
  VersionConflictError,
} from './errors/errors.js';
