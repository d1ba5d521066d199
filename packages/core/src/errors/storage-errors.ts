import { RailyardError, type RailyardErrorOptions } from './railyard-error.js';

/**
 * A storage or transport adapter failed. `cause` keeps the original; `retryable` says whether the
 * core retries. Adapters build it with `adapterError` from `@railyard/core/adapters`.
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
 * A bundle version that already exists with other content (published versions are immutable), or
 * an archive whose bundle exists here under another id. `details` names the project, version and ids.
 *
 * @example
 * ```ts
 * throw new BundleConflictError('Bundle churn@1.4.0 already exists with other content: bump the version.', {
 *   details: { project: 'churn', version: '1.4.0' },
 * });
 * ```
 */
export class BundleConflictError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('BUNDLE_CONFLICT', message, options);
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
      `The store at "${info.dir}" is locked by ${holder}. Only one process may open it at a time: close the store in that process (or stop it) and retry. A holder that is gone is taken over once its lease expires (lockLeaseMs), with no file to delete by hand; "${info.lockFile}" names the holder.`,
      { details: { ...info } },
    );
  }
}

/**
 * A file state store opened read-only: its last commit was complete but failed its checksum (not a
 * torn write a crash can leave), so it was moved aside instead of silently dropped, and every write
 * is refused until an operator decides. `details` names the commit, its first journal entry's
 * sequence number and the file it was moved to.
 *
 * @example
 * ```ts
 * throw new StoreReadOnlyError({ dir: '/srv/ry', aside: '/srv/ry/log.ndjson.rejected-42', commit: 42, seq: 311 });
 * ```
 */
export class StoreReadOnlyError extends RailyardError {
  /**
   * `dir`: the store's directory; `aside`: the file the bad commit was moved to; `commit`: its
   * number (commits are numbered from 1 over the store's life); `seq`: the first journal entry it held.
   */
  constructor(info: { dir: string; aside: string; commit: number; seq: number }) {
    super(
      'STORE_READ_ONLY',
      `The file state store at "${info.dir}" is read-only: its last commit (commit ${info.commit}, journal entry ${info.seq} on) was complete but corrupt, so it was moved to "${info.aside}" rather than dropped. Nothing is written until you decide: restore the directory from a backup, or accept losing that commit by opening the store with { acceptTruncation: true } (docs/operating.md).`,
      { details: { ...info } },
    );
  }
}
