/**
 * Every error Railyard throws, one base class with a stable `code`.
 * @packageDocumentation
 */
export {
  AdapterError,
  ArchiveError,
  type ArchiveRefusalReason,
  BlobIntegrityError,
  CapabilityError,
  IllegalTransitionError,
  isRailyardError,
  NotFoundError,
  PolicyError,
  type PolicyRule,
  RailyardError,
  type RailyardErrorCode,
  type RailyardErrorJSON,
  type RailyardErrorOptions,
  railyardErrorFromJSON,
  SettleLimitError,
  StoreLockedError,
  ValidationError,
  VersionConflictError,
} from './errors/errors.js';
