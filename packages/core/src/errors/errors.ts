// The errors layer, one file per family; this file gathers them for the layers above.

export { type AdapterFailure, adapterError } from './adapter-error.js';
export { railyardErrorFromJSON } from './from-json.js';
export {
  isRailyardError,
  RAILYARD_ERROR_BRAND,
  RailyardError,
  type RailyardErrorCode,
  type RailyardErrorJSON,
  type RailyardErrorOptions,
} from './railyard-error.js';
export {
  IdempotencyConflictError,
  IllegalTransitionError,
  NotFoundError,
  PolicyError,
  type PolicyRule,
  ValidationError,
  VersionConflictError,
} from './request-errors.js';
export {
  AdapterError,
  ArchiveError,
  type ArchiveRefusalReason,
  BlobIntegrityError,
  BundleConflictError,
  CapabilityError,
  StoreLockedError,
  StoreReadOnlyError,
} from './storage-errors.js';
export {
  AbortedError,
  CheckFailedError,
  SecretUnavailableError,
  SettleLimitError,
  TimeoutError,
} from './work-errors.js';
