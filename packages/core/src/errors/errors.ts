/**
 * Every code a {@link RailyardError} can carry. The code is stable API: match on it, not on messages.
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
  | 'BLOB_INTEGRITY'
  | 'BUNDLE_CONFLICT'
  | 'IDEMPOTENCY_CONFLICT'
  | 'TIMEOUT'
  | 'ARCHIVE_REFUSED'
  | 'SETTLE_LIMIT';

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
  name: string;
  code: RailyardErrorCode;
  message: string;
  retryable: boolean;
  details: Record<string, unknown>;
}

/**
 * The one base class of every error Railyard throws. Messages say what was wrong and what to do next.
 *
 * @example
 * ```ts
 * try {
 *   await railyard.approve(id, { by: alice });
 * } catch (error) {
 *   if (error instanceof RailyardError && error.code === 'POLICY_DENIED') console.log(error.details.rule);
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

  constructor(code: RailyardErrorCode, message: string, options: RailyardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
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

/**
 * Input that does not match its schema. `details.issues` lists each field path and what was expected.
 *
 * @example
 * ```ts
 * throw new ValidationError('promote: "to" must be an environment id', { details: { issues: [] } });
 * ```
 */
export class ValidationError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('VALIDATION', message, options);
  }
}

/**
 * A command named something that does not exist (reads return `null` instead).
 *
 * @example
 * ```ts
 * throw new NotFoundError('deployment', 'production/000001');
 * ```
 */
export class NotFoundError extends RailyardError {
  constructor(kind: string, id: string, hint = '') {
    super('NOT_FOUND', `${kind} "${id}" does not exist.${hint ? ` ${hint}` : ''}`, {
      details: { kind, id },
    });
  }
}

/**
 * A compare-and-swap write whose expected version is stale. Re-read and try again.
 *
 * @example
 * ```ts
 * throw new VersionConflictError({ kind: 'environment', id: 'production', expected: 3, actual: 4 });
 * ```
 */
export class VersionConflictError extends RailyardError {
  constructor(info: { kind: string; id: string; expected: number | null; actual: number | null }) {
    const expected = info.expected === null ? 'absent' : `version ${info.expected}`;
    const actual = info.actual === null ? 'absent' : `version ${info.actual}`;
    super(
      'VERSION_CONFLICT',
      `${info.kind} "${info.id}" was expected at ${expected} but is at ${actual}: another writer got there first. Re-read it and retry.`,
      { retryable: true, details: { ...info } },
    );
  }
}

/** The name of a policy rule that can refuse a request. */
export type PolicyRule =
  | 'approver-role'
  | 'separation-of-duties'
  | 'distinct-approvers'
  | 'approval-digest'
  | 'freeze-window'
  | 'freeze-override'
  | 'no-downgrade'
  | 'requirements'
  | 'upstream'
  | 'environment-halted'
  | 'queue-full'
  | 'actor-role'
  | 'signatures';

/**
 * A request refused by an environment's policy. `details.rule` names the rule.
 *
 * @example
 * ```ts
 * throw new PolicyError('separation-of-duties', 'The requester cannot approve their own promotion.');
 * ```
 */
export class PolicyError extends RailyardError {
  /** The rule that refused the request. */
  readonly rule: PolicyRule;

  constructor(rule: PolicyRule, message: string, details: Record<string, unknown> = {}) {
    super('POLICY_DENIED', `[${rule}] ${message}`, { details: { rule, ...details } });
    this.rule = rule;
  }
}

/**
 * A command that is not legal in the record's current state.
 *
 * @example
 * ```ts
 * throw new IllegalTransitionError({ machine: 'deployment', from: 'active', event: 'approve' });
 * ```
 */
export class IllegalTransitionError extends RailyardError {
  constructor(info: { machine: string; from: string; event: string; id?: string; guard?: string }) {
    const why = info.guard ? `its guard "${info.guard}" does not hold` : 'it has moved on (or has not got there yet)';
    super(
      'ILLEGAL_TRANSITION',
      `${info.machine}${info.id ? ` "${info.id}"` : ''} cannot "${info.event}" while "${info.from}": ${why}. Read its current state${info.machine === 'deployment' ? ' (railyard.explain(id) says what it waits for)' : ''} and act on that.`,
      { details: { ...info } },
    );
  }
}

/**
 * A storage or transport adapter failed. `cause` keeps the original; `retryable` says whether the core retries.
 *
 * @example
 * ```ts
 * throw new AdapterError('file store: could not write', { cause: err, retryable: true });
 * ```
 */
export class AdapterError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('ADAPTER', message, options);
  }
}

/**
 * An adapter lacks a capability the configuration needs; raised once at start-up.
 *
 * @example
 * ```ts
 * throw new CapabilityError('transport', 'a remote environment needs a Transport');
 * ```
 */
export class CapabilityError extends RailyardError {
  constructor(capability: string, message: string) {
    super('CAPABILITY_MISSING', message, { details: { capability } });
  }
}

/**
 * Bytes whose digest or size differ from what was declared. Nothing was stored.
 *
 * @example
 * ```ts
 * throw new BlobIntegrityError({ expected: 'sha256:ab…', actual: 'sha256:cd…' });
 * ```
 */
export class BlobIntegrityError extends RailyardError {
  constructor(details: Record<string, unknown>, message?: string) {
    super(
      'BLOB_INTEGRITY',
      message ??
        `Blob content does not match its declaration (${JSON.stringify(details)}). The bytes were refused; re-send the original content.`,
      { details },
    );
  }
}

/**
 * Why an archive import was refused: the value of `details.reason` on an {@link ArchiveError}.
 *
 * @example
 * ```ts
 * const reason: ArchiveRefusalReason = 'unsafe-path';
 * ```
 */
export type ArchiveRefusalReason =
  | 'malformed'
  | 'truncated'
  | 'unreadable'
  | 'archive-too-large'
  | 'too-many-entries'
  | 'entry-too-large'
  | 'manifest-too-large'
  | 'path-too-long'
  | 'unsafe-path'
  | 'link'
  | 'not-a-regular-file'
  | 'unknown-entry'
  | 'duplicate-entry'
  | 'out-of-order'
  | 'missing-entry'
  | 'missing-blob'
  | 'not-in-manifest'
  | 'size-mismatch'
  | 'unsupported-format'
  | 'manifest-mismatch'
  | 'invalid-manifest'
  | 'signature-invalid'
  | 'signatures-missing';

/**
 * A bundle archive refused on import; nothing it held was stored. `details.reason` names what was
 * refused ({@link ArchiveRefusalReason}) and `details.entry`, when set, the offending tar entry.
 *
 * @example
 * ```ts
 * throw new ArchiveError('unsafe-path', 'Entry "../etc/passwd" escapes the archive.', { entry: '../etc/passwd' });
 * ```
 */
export class ArchiveError extends RailyardError {
  constructor(
    reason: ArchiveRefusalReason,
    message: string,
    details: Record<string, unknown> = {},
    options: { cause?: unknown } = {},
  ) {
    super('ARCHIVE_REFUSED', message, { details: { reason, ...details }, cause: options.cause });
  }
}

/**
 * A store directory is already open in another process (or another instance in this one). A file
 * store admits a single writer; `details.pid` and `details.host` name the holder.
 *
 * @example
 * ```ts
 * throw new StoreLockedError({ dir: './railyard', lockFile: './railyard/lock', pid: 4242, host: 'build-01' });
 * ```
 */
export class StoreLockedError extends RailyardError {
  constructor(info: { dir: string; lockFile: string; pid: number | null; host: string | null }) {
    const holder =
      info.pid === null
        ? 'an unknown holder (the lock file is unreadable)'
        : `process ${info.pid}${info.host ? ` on host "${info.host}"` : ''}`;
    super(
      'STORE_LOCKED',
      `The store at "${info.dir}" is locked by ${holder}. Only one process may open it at a time: close the store in that process (or stop it) and retry. If you are sure no process uses the store, delete "${info.lockFile}".`,
      { details: { ...info } },
    );
  }
}

/**
 * `settle()` ran its whole budget of passes and work was still progressing: something keeps
 * changing at the same instant (a deployment or scenario looping). `details.maxSteps` is the budget.
 *
 * @example
 * ```ts
 * try {
 *   await railyard.settle({ maxSteps: 100 });
 * } catch (error) {
 *   if (error instanceof SettleLimitError) console.log(error.details.maxSteps);
 * }
 * ```
 */
export class SettleLimitError extends RailyardError {
  constructor(maxSteps: number) {
    super(
      'SETTLE_LIMIT',
      `settle() was still progressing after ${maxSteps} passes at the same clock time: something is looping. Read railyard.journal (the newest entries repeat) and railyard.explain(id) to find it, or raise settle({ maxSteps }) if the work is really that long.`,
      { details: { maxSteps } },
    );
  }
}

/**
 * Rebuilds a {@link RailyardError} from its JSON form (for instance an HTTP error body), as an
 * instance of the class its code names, so `instanceof PolicyError` keeps working across sites.
 *
 * @example
 * ```ts
 * const error = railyardErrorFromJSON(await response.json());
 * ```
 */
export function railyardErrorFromJSON(json: RailyardErrorJSON): RailyardError {
  const classes: Partial<Record<RailyardErrorCode, { prototype: RailyardError }>> = {
    VALIDATION: ValidationError,
    NOT_FOUND: NotFoundError,
    VERSION_CONFLICT: VersionConflictError,
    POLICY_DENIED: PolicyError,
    ILLEGAL_TRANSITION: IllegalTransitionError,
    ADAPTER: AdapterError,
    CAPABILITY_MISSING: CapabilityError,
    BLOB_INTEGRITY: BlobIntegrityError,
    STORE_LOCKED: StoreLockedError,
    ARCHIVE_REFUSED: ArchiveError,
    SETTLE_LIMIT: SettleLimitError,
  };
  const error = new RailyardError(json.code, json.message, { retryable: json.retryable, details: json.details ?? {} });
  const Class = classes[json.code];
  if (Class) Object.setPrototypeOf(error, Class.prototype);
  error.name = json.name && Class ? json.name : 'RailyardError';
  if (json.code === 'POLICY_DENIED')
    Object.defineProperty(error, 'rule', { value: json.details?.rule, enumerable: true });
  return error;
}

/**
 * Whether a value is a {@link RailyardError}, optionally with a given code.
 *
 * @example
 * ```ts
 * if (isRailyardError(error, 'VERSION_CONFLICT')) retry();
 * ```
 */
export function isRailyardError(value: unknown, code?: RailyardErrorCode): value is RailyardError {
  return value instanceof RailyardError && (code === undefined || value.code === code);
}
