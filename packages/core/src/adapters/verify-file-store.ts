import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { isRailyardError } from '../errors/railyard-error.js';
import type { JournalHead } from '../journal/chain.js';
import { FILES, loadFileState } from './file-state-load.js';
import { rejectedTails } from './file-state-tail.js';

/**
 * What is wrong with a file state store, at which commit and journal entry.
 *
 * @example
 * ```ts
 * const { problem } = await verifyFileStore(dir);
 * if (problem) console.error(`${problem.kind} in ${problem.file} at journal entry ${problem.seq}`);
 * ```
 */
export interface FileStoreProblem {
  /**
   * `corrupt-tail`: the log's last commit is complete but corrupt (the next open moves it aside and
   * opens read-only); `rejected-tail`: such a commit was moved aside and awaits a decision;
   * `damaged`: any other inconsistency (restore from a backup).
   */
  kind: 'corrupt-tail' | 'rejected-tail' | 'damaged';
  /** The file concerned (`log.ndjson`, `snapshot.json`, or the moved-aside tail). */
  file: string;
  /** The log line, when the problem is in the log. */
  line?: number;
  /** The first commit concerned (commits are numbered from 1 over the store's life). */
  commit?: number;
  /** The sequence number of the first journal entry that is bad or lost. */
  seq?: number;
  /** What is wrong and what to do, for people. */
  message: string;
}

/**
 * The result of {@link verifyFileStore}: plain JSON (print it with `JSON.stringify`).
 *
 * @example
 * ```ts
 * const result: FileStoreVerification = await verifyFileStore('./.railyard/state');
 * process.stdout.write(`${JSON.stringify(result)}\n`);
 * process.exitCode = result.ok ? 0 : 1;
 * ```
 */
export interface FileStoreVerification {
  /** `true` when the store would open writable with nothing lost. */
  ok: boolean;
  /** The directory checked (absolute). */
  dir: string;
  /** Commits that load and check cleanly. */
  commits: number;
  /** The journal up to the first problem: its entry count, and its head when the store loads. */
  journal: {
    /** How many entries are intact. */
    entries: number;
    /** The last intact entry's sequence number and hash. */
    head?: JournalHead;
  };
  /** Bytes of a write torn by a crash at the end of the log: harmless, cut at the next open. */
  tornBytes: number;
  /** The first problem found, when `ok` is false. */
  problem?: FileStoreProblem;
}

/**
 * Checks a file state store's directory offline and names its first bad entry, without opening
 * the store: no lock is taken and no file is created, changed or removed, so it is safe on a store
 * another process has open, on a read-only mount or on a backup copy. It reads the snapshot and
 * the log, and re-checks every checksum, commit number, version and journal hash, as opening would.
 * Throws only when the directory cannot be read at all.
 *
 * @example
 * ```ts
 * import { verifyFileStore } from '@railyard/core/adapters';
 *
 * const result = await verifyFileStore('./.railyard/state');
 * if (!result.ok) console.error(result.problem?.kind, 'at journal entry', result.problem?.seq, result.problem?.message);
 * console.log(JSON.stringify(result));
 * ```
 */
export async function verifyFileStore(dir: string): Promise<FileStoreVerification> {
  const absolute = resolve(dir);
  await stat(absolute); // a missing directory is an error, not an empty store
  let state: Awaited<ReturnType<typeof loadFileState>>;
  try {
    state = await loadFileState(absolute);
  } catch (error) {
    if (!isRailyardError(error, 'ADAPTER') || typeof error.details.path !== 'string') throw error;
    const { path, line, commit, seq } = error.details as { path: string; line?: number; commit?: number; seq?: number };
    return {
      ok: false,
      dir: absolute,
      commits: commit === undefined ? 0 : commit - 1,
      journal: { entries: seq === undefined ? 0 : seq - 1 },
      tornBytes: 0,
      problem: {
        kind: 'damaged',
        file: basename(path),
        ...(line === undefined ? {} : { line }),
        ...(commit === undefined ? {} : { commit }),
        ...(seq === undefined ? {} : { seq }),
        message: error.message,
      },
    };
  }
  const head = state.table.head();
  const base = {
    dir: absolute,
    commits: state.commits,
    journal: { entries: head.seq, head },
    tornBytes: state.corruptTail ? 0 : state.fileLength - state.validLength,
  };
  if (state.corruptTail) {
    const { line, commit, seq } = state.corruptTail;
    return {
      ok: false,
      ...base,
      problem: {
        kind: 'corrupt-tail',
        file: FILES.log,
        line,
        commit,
        seq,
        message: `log line ${line} (commit ${commit}, journal entry ${seq} on) is complete but fails its checksum or schema: damage or tampering, not a crash. Opening the store moves it aside and opens read-only.`,
      },
    };
  }
  const [pending] = await rejectedTails(absolute);
  if (pending) {
    return {
      ok: false,
      ...base,
      problem: {
        kind: 'rejected-tail',
        file: pending.name,
        commit: pending.commit,
        seq: pending.seq,
        message: `commit ${pending.commit} (journal entry ${pending.seq} on) was moved aside to ${pending.name} and awaits a decision: restore from a backup, or open with { acceptTruncation: true }.`,
      },
    };
  }
  return { ok: true, ...base };
}
