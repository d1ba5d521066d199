/**
 * Every code a {@link RailyardError} can carry. The code is stable API: match on it, not on messages.
 * Each code has its class (see `railyardErrorFromJSON`) and a section in docs/errors.md.
 */
export type RailyardErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'POLICY_DENIED'
  | 'ILLEGAL_TRANSITION'
  | 'ADAPTER'
  | 'CAPABILITY_MISSING'
  | 'STORE_LOCKED'
  | 'STORE_READ_ONLY'
  | 'BLOB_INTEGRITY'
  | 'BUNDLE_CONFLICT'
  | 'IDEMPOTENCY_CONFLICT'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CHECK_FAILED'
  | 'ARCHIVE_REFUSED'
  | 'SETTLE_LIMIT'
  | 'SECRET_UNAVAILABLE';

/** Options shared by every Railyard error. */
export interface RailyardErrorOptions {
  /** The underlying error, kept for diagnosis. */
  cause?: unknown;
  /** Whether retrying the same call may succeed. Defaults per class. */
  retryable?: boolean;
  /** Structured details a caller can act on (field paths, versions, rule names). */
  details?: Record<string, unknown>;
}

/** The JSON form of a {@link RailyardError}, as it crosses the network. */
export interface RailyardErrorJSON {
  /** The class name, e.g. `PolicyError`. */
  name: string;
  /** The stable error code. */
  code: RailyardErrorCode;
  /** What went wrong and what to do. */
  message: string;
  /** Whether trying again may succeed. */
  retryable: boolean;
  /** Structured facts about the error (which rule, which record…). */
  details: Record<string, unknown>;
}

/**
 * The brand every Railyard error carries, registered globally (`Symbol.for`), so that two copies
 * of `@railyard/core` in one process (a bundled adapter, a duplicated dependency) recognise each
 * other's errors where `instanceof` cannot.
 *
 * @example
 * ```ts
 * const branded = typeof error === 'object' && error !== null && RAILYARD_ERROR_BRAND in error;
 * ```
 */
export const RAILYARD_ERROR_BRAND: unique symbol = Symbol.for('railyard.error') as never;

/**
 * Where the documentation of a code lives: its section of docs/errors.md (what it means, what to do).
 *
 * @example
 * ```ts
 * errorDocs('VERSION_CONFLICT'); // 'docs/errors.md#version_conflict'
 * ```
 */
function errorDocs(code: RailyardErrorCode): string {
  return `docs/errors.md#${code.toLowerCase()}`;
}

/**
 * The one base class of every error Railyard throws. Messages say what was wrong and what to do next.
 *
 * @example
 * ```ts
 * try {
 *   await railyard.approve(id, { by: alice });
 * } catch (error) {
 *   if (isRailyardError(error, 'POLICY_DENIED')) console.log(error.details.rule, error.docs);
 * }
 * ```
 */
export class RailyardError extends Error {
  /** Stable machine-readable code. */
  readonly code: RailyardErrorCode;
  /** Whether retrying the same call may succeed. */
  readonly retryable: boolean;
  /** Structured details a caller can act on. */
  readonly details: Record<string, unknown>;
  /** The brand `isRailyardError` recognises across copies of the package. */
  declare readonly [RAILYARD_ERROR_BRAND]: true;

  constructor(code: RailyardErrorCode, message: string, options: RailyardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  /** The section of docs/errors.md that explains this error's code and what to do about it. */
  get docs(): string {
    return errorDocs(this.code);
  }

  /** Serialises the error without its cause (causes may hold secrets). */
  toJSON(): RailyardErrorJSON {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      details: this.details,
    };
  }
}

// On the prototype (not each instance): invisible to JSON and to equality checks, shared by subclasses.
Object.defineProperty(RailyardError.prototype, RAILYARD_ERROR_BRAND, { value: true });

/**
 * Whether a value is a Railyard error, optionally with a given code. It recognises the errors of
 * another copy of `@railyard/core` by their brand, so prefer it to `instanceof`.
 *
 * @example
 * ```ts
 * if (isRailyardError(error, 'VERSION_CONFLICT')) retry();
 * ```
 */
export function isRailyardError(value: unknown, code?: RailyardErrorCode): value is RailyardError {
  const branded =
    value instanceof RailyardError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { [RAILYARD_ERROR_BRAND]?: unknown })[RAILYARD_ERROR_BRAND] === true &&
      typeof (value as { code?: unknown }).code === 'string');
  return branded && (code === undefined || (value as RailyardError).code === code);
}
