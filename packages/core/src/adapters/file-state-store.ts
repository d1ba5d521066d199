import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Clock, systemClock } from '../contracts/clock.js';
import type { CommitResult, RecordWrite, StateStore, Transaction } from '../contracts/state-store.js';
import { AdapterError, type StoreReadOnlyError, ValidationError } from '../errors/errors.js';
import type { JournalEntry } from '../model/journal.js';
import { acquireDirectoryLock } from './file-lock.js';
import { type FileNonces, openFileNonces } from './file-nonces.js';
import { FILES, loadFileState } from './file-state-load.js';
import { frame } from './file-state-log.js';
import { decideRejectedTails, rejectTail } from './file-state-tail.js';
import { DIR_MODE, FILE_MODE, fsyncDir, replaceFileAtomic, writeAll } from './fs-durable.js';

/** Options for {@link openFileStateStore}. */
export interface FileStateStoreOptions {
  /** The store's directory; created if missing. One process at a time may open it. */
  dir: string;
  /**
   * Flush every commit to disk before acknowledging it (default `true`). `false` is UNSAFE: a crash
   * or power loss may lose acknowledged commits. Use it only for throwaway tests that want speed.
   */
  fsync?: boolean;
  /** Write a snapshot and start a fresh log once the log holds this many commits (default 10,000). */
  compactAfter?: number;
  /**
   * The operator's decision after a corrupt last commit was moved aside (see `readOnly`): `true`
   * accepts losing it and opens the store for writing again (the moved-aside file is renamed
   * `log.ndjson.accepted-…` and kept). Default `false`: such a store opens read-only.
   */
  acceptTruncation?: boolean;
  /**
   * The lock's lease (ms, default 30,000): the holder renews it every third of this; a lock not
   * renewed for this long (a host that no longer runs the holder) is taken over, and the takeover
   * journaled. Make it longer than any pause the holder may suffer, and than the clock skew
   * between hosts sharing the directory.
   */
  lockLeaseMs?: number;
  /** Dates lease renewals and judges expiry (default the system clock; a fake clock in tests). */
  clock?: Clock;
}

/** The embedded, durable {@link StateStore}: one directory on the local file system. */
export interface FileStateStore extends StateStore {
  /** The store's directory (absolute). */
  readonly dir: string;
  /** Writes a snapshot and empties the log now (it also happens on its own every `compactAfter` commits). */
  compact(): Promise<void>;
  /**
   * Why the store is read-only, or `null`: a complete but corrupt last commit was moved aside and
   * no operator has accepted losing it yet. Every commit and compaction throws this error.
   */
  readonly readOnly: StoreReadOnlyError | null;
}

/**
 * Opens the embedded default state store: a directory holding a single-writer `lock`, a
 * `snapshot.json` and an append-only, checksummed `log.ndjson`. Every commit is appended and
 * flushed to disk before it becomes visible, so an acknowledged commit survives a crash; a write
 * torn by a crash is discarded on the next open. Commits on one instance are applied one at a time.
 * Values are stored as JSON: after a commit, reads return what JSON preserves (a `Date` comes back
 * as its ISO string), before and after a restart alike.
 *
 * Throws `StoreLockedError` when another live process (or another open instance) holds the
 * directory, and `AdapterError` when the files are damaged beyond what a crash can cause.
 *
 * @example
 * ```ts
 * const store = await openFileStateStore({ dir: './.railyard/state' });
 * try {
 *   await store.commit({ writes: [{ kind: 'note', id: 'a', expectedVersion: null, value: { text: 'hi' } }], journal: [] });
 * } finally {
 *   await store.close();
 * }
 * ```
 */
export async function openFileStateStore(options: FileStateStoreOptions): Promise<FileStateStore> {
  const dir = resolve(options.dir);
  const fsync = options.fsync ?? true;
  const compactAfter = options.compactAfter ?? 10_000;
  if (!Number.isSafeInteger(compactAfter) || compactAfter < 1) {
    throw new ValidationError(`fileStateStore: compactAfter must be a positive integer, got ${compactAfter}.`);
  }
  const leaseMs = options.lockLeaseMs ?? 30_000;
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 3) {
    throw new ValidationError(`fileStateStore: lockLeaseMs must be an integer of at least 3 ms, got ${leaseMs}.`);
  }
  const clock = options.clock ?? systemClock;
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const lock = await acquireDirectoryLock(dir, { clock, leaseMs, onClock: options.clock !== undefined });
  let opened: FileHandle | undefined;
  let nonces: FileNonces | undefined;
  let state: Awaited<ReturnType<typeof loadFileState>>;
  let readOnly: StoreReadOnlyError | null = null;
  try {
    state = await loadFileState(dir);
    await Promise.all([
      rm(join(dir, `${FILES.log}.tmp`), { force: true }),
      rm(join(dir, `${FILES.snapshot}.tmp`), { force: true }),
    ]);
    if (state.corruptTail) await rejectTail(dir, state.validLength, state.corruptTail);
    opened = await open(join(dir, FILES.log), 'a', FILE_MODE);
    if (state.fileLength > state.validLength) {
      // A torn last line: the commit it held was never acknowledged, so cutting it loses nothing.
      // (A complete but corrupt one was copied aside just above, and the store opens read-only.)
      await opened.truncate(state.validLength);
      await opened.sync();
    } else if (fsync) await fsyncDir(dir);
    nonces = await openFileNonces(dir, fsync);
    readOnly = await decideRejectedTails(dir, options.acceptTruncation === true);
  } catch (error) {
    await opened?.close();
    await lock.release();
    throw error;
  }

  let log: FileHandle = opened;
  const nonceFile: FileNonces = nonces;
  const { table } = state;
  const listeners = new Set<() => void>();
  let commits = state.commits;
  let logLines = state.logLines;
  let logLength = state.validLength;
  let closed = false;
  let broken: AdapterError | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  // Commits, compactions and close run one at a time, in call order.
  function serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  }

  function readable(): void {
    if (closed)
      throw new AdapterError(`file state store at "${dir}" is closed; open it again with openFileStateStore.`);
  }

  function usable(): void {
    readable();
    if (readOnly) throw readOnly;
    const lost = lock.lost();
    if (lost) throw lost;
    if (broken) throw broken;
  }

  function breakStore(cause: unknown): AdapterError {
    broken = new AdapterError(
      `file state store at "${dir}" could not make its log durable; whether the last commit persisted is unknown. Close the store, fix the disk problem (space, permissions) and open it again: the files on disk are the truth.`,
      { cause, retryable: false, details: { dir } },
    );
    return broken;
  }

  async function append(text: string): Promise<void> {
    const bytes = Buffer.from(`${text}\n`);
    try {
      await writeAll(log, bytes);
    } catch (error) {
      try {
        await log.truncate(logLength);
      } catch {
        throw breakStore(error);
      }
      throw new AdapterError(
        `file state store at "${dir}" could not append to its log; nothing was committed. Check free space and permissions, then retry.`,
        {
          cause: error,
          retryable: true,
          details: { dir },
        },
      );
    }
    if (fsync) await log.datasync().catch((error: unknown) => Promise.reject(breakStore(error)));
    logLength += bytes.length;
    logLines++;
  }

  async function compactNow(): Promise<void> {
    const records = [...table.records].flatMap(([kind, rows]) =>
      [...rows].map(([id, row]) => ({ kind, id, version: row.version, value: row.value })),
    );
    await replaceFileAtomic(
      dir,
      FILES.snapshot,
      frame({ format: 1, commits, records, journal: table.journal }).text,
      fsync,
    );
    // From here the old log's commits are all in the snapshot; replay skips them if the reset below is lost.
    try {
      await replaceFileAtomic(dir, FILES.log, '', fsync);
      await log.close();
      log = await open(join(dir, FILES.log), 'a', FILE_MODE);
    } catch (error) {
      throw breakStore(error);
    }
    logLength = 0;
    logLines = 0;
  }

  async function commitNow(tx: Transaction): Promise<CommitResult> {
    usable();
    const prepared = table.prepare(tx);
    const n = commits + 1;
    let line: ReturnType<typeof frame>;
    try {
      line = frame({
        n,
        writes: prepared.tx.writes,
        versions: prepared.result.versions,
        journal: prepared.result.journal,
      });
    } catch (error) {
      throw new ValidationError(
        'commit: record values and journal entries must be JSON-serialisable (no BigInt, no cycles).',
        { cause: error },
      );
    }
    await append(line.text);
    commits = n;
    // Apply exactly what the log holds, so that reads before and after a restart agree.
    const stored = JSON.parse(line.payloadJson) as { writes: RecordWrite[]; journal: JournalEntry[] };
    const result = table.apply({
      tx: { writes: stored.writes, journal: [] },
      result: { versions: prepared.result.versions, journal: stored.journal },
    });
    for (const listener of listeners) queueMicrotask(listener);
    // A failed compaction loses nothing (the log still holds every commit), so the commit stands and
    // compaction is retried on the next commit; the warning keeps a persistent failure visible.
    if (logLines >= compactAfter) {
      await compactNow().catch((error: unknown) => {
        process.emitWarning(
          `file state store at "${dir}" could not compact its log: ${String(error)}`,
          'RailyardWarning',
        );
      });
    }
    return result;
  }

  const store: FileStateStore = {
    dir,
    readOnly,
    capabilities: { watch: true, nonces: true },
    async get(kind, id) {
      readable();
      return table.get(kind, id);
    },
    async list(kind, query) {
      readable();
      return table.list(kind, query);
    },
    commit: (tx) => serialise(() => commitNow(tx)),
    async *readJournal(query) {
      readable();
      yield* table.readJournal(query);
    },
    async journalHead() {
      readable();
      return table.head();
    },
    async rememberNonce(claim) {
      usable();
      return nonceFile.remember(claim);
    },
    watch(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    compact: () =>
      serialise(async () => {
        usable();
        await compactNow();
      }),
    close: () =>
      serialise(async () => {
        if (closed) return;
        closed = true;
        listeners.clear();
        await nonceFile.close();
        await log.close();
        await lock.release();
      }),
  };
  const takenOver = lock.takenOver;
  if (takenOver) {
    process.emitWarning(
      `file state store at "${dir}": took over the lock of process ${takenOver.pid} on host "${takenOver.host}" (${takenOver.reason}).`,
      { type: 'RailyardWarning', code: 'STORE_LOCK_TAKEN_OVER' },
    );
    // Journaled, so the audit shows who held the store before and why it was taken.
    if (!readOnly) {
      await serialise(() =>
        commitNow({
          writes: [],
          journal: [
            {
              at: clock.now().toISOString(),
              actor: { id: 'railyard', roles: ['system'] },
              type: 'store.lock-taken-over',
              subject: { kind: 'store', id: dir },
              reason: takenOver.reason,
              data: { previous: { pid: takenOver.pid, host: takenOver.host, renewedAt: takenOver.renewedAt } },
            },
          ],
        }),
      ).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
    }
  }
  return store;
}

/**
 * Alias of {@link openFileStateStore}, named like the other adapter factories.
 *
 * @example
 * ```ts
 * const store = await fileStateStore({ dir: './.railyard/state' });
 * ```
 */
export const fileStateStore = openFileStateStore;
