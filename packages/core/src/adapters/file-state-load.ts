import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chainJournal, GENESIS_HASH } from '../journal/chain.js';
import type { JournalDraft, JournalEntry } from '../model/journal.js';
import { type LogCommit, parseLog, Snapshot, storeDamaged, unframe } from './file-state-log.js';
import { errorCode } from './fs-durable.js';
import { RecordTable } from './record-table.js';

/** File names inside a file state store's directory. @internal */
export const FILES = { lock: 'lock', log: 'log.ndjson', snapshot: 'snapshot.json' } as const;

/** A store's state as read from disk. @internal */
export interface LoadedState {
  table: RecordTable;
  /** Number of the last commit applied (commits are numbered from 1 over the store's life). */
  commits: number;
  /** Lines in the log, including those the snapshot already covers. */
  logLines: number;
  /** Byte length of the log's valid prefix. */
  validLength: number;
  /** Byte length of the log file as found (larger than `validLength` after a torn write). */
  fileLength: number;
  /** The log's last line when it is complete but corrupt: the commit it should hold, and its first journal entry's `seq`. */
  corruptTail?: { line: number; commit: number; seq: number };
}

/**
 * Reads `snapshot.json` and replays `log.ndjson` on top of it, checking every checksum, commit
 * number, expected version and journal hash. Changes nothing on disk.
 * @internal
 *
 * @example
 * ```ts
 * const { table, commits } = await loadFileState('/var/lib/railyard');
 * ```
 */
export async function loadFileState(dir: string): Promise<LoadedState> {
  const table = new RecordTable();
  const snapshotPath = join(dir, FILES.snapshot);
  const snapshotText = await readOptional(snapshotPath);
  let base = 0;
  if (snapshotText !== null) {
    const parsed = Snapshot.safeParse(unframe(snapshotText.toString('utf8')));
    if (!parsed.success) throw storeDamaged(snapshotPath, 'the snapshot fails its checksum or schema');
    loadSnapshot(table, parsed.data, snapshotPath);
    base = parsed.data.commits;
  }
  const logPath = join(dir, FILES.log);
  const bytes = (await readOptional(logPath)) ?? Buffer.alloc(0);
  const { commits, validLength, bad } = parseLog(bytes);
  let applied = base;
  let previous: number | undefined;
  // Where damage is found: the commit expected next and the journal entry it would start with.
  const at = (line: number) => ({ line, commit: Math.max(applied, previous ?? 0) + 1, seq: table.head().seq + 1 });
  for (const [index, commit] of commits.entries()) {
    const line = index + 1;
    if (previous !== undefined && commit.n !== previous + 1) {
      throw storeDamaged(
        logPath,
        `line ${line} is commit ${commit.n} but commit ${previous + 1} was expected`,
        at(line),
      );
    }
    previous = commit.n;
    if (commit.n <= base) continue; // Already in the snapshot: a crash hit between snapshot and log reset.
    if (commit.n !== applied + 1) {
      throw storeDamaged(logPath, `commits ${applied + 1}…${commit.n - 1} are missing`, at(line));
    }
    replay(table, commit, logPath, at(line));
    applied = commit.n;
  }
  if (bad && !bad.final) {
    throw storeDamaged(logPath, `line ${bad.line} is corrupt but later lines are intact`, at(bad.line));
  }
  return {
    table,
    commits: applied,
    logLines: commits.length,
    validLength,
    fileLength: bytes.length,
    ...(bad ? { corruptTail: at(bad.line) } : {}),
  };
}

function loadSnapshot(table: RecordTable, snapshot: Snapshot, path: string): void {
  for (const { kind, id, version, value } of snapshot.records) {
    const rows = table.records.get(kind) ?? new Map<string, { version: number; value: unknown }>();
    table.records.set(kind, rows.set(id, { version, value }));
  }
  const rechained = chainJournal({ seq: 0, hash: GENESIS_HASH }, snapshot.journal.map(toDraft));
  if (!sameChain(rechained, snapshot.journal)) throw storeDamaged(path, 'the snapshot journal hash chain is broken');
  table.journal.push(...snapshot.journal);
}

function replay(table: RecordTable, commit: LogCommit, path: string, where: { line: number }): void {
  const { line } = where;
  let prepared: ReturnType<RecordTable['prepare']>;
  try {
    prepared = table.prepare({ writes: commit.writes, journal: commit.journal.map(toDraft) });
  } catch (error) {
    throw storeDamaged(path, `line ${line} does not apply to the state before it`, where, error);
  }
  const { versions, journal } = prepared.result;
  if (versions.some((version, i) => version !== commit.versions[i]) || !sameChain(journal, commit.journal)) {
    throw storeDamaged(path, `line ${line} disagrees with the versions or journal hashes before it`, where);
  }
  table.apply({ tx: { writes: commit.writes, journal: [] }, result: { versions, journal: commit.journal } });
}

function toDraft(entry: JournalEntry): JournalDraft {
  const { seq: _seq, prevHash: _prevHash, hash: _hash, ...draft } = entry;
  return draft;
}

function sameChain(computed: readonly JournalEntry[], stored: readonly JournalEntry[]): boolean {
  return (
    computed.length === stored.length &&
    computed.every((entry, i) => {
      const other = stored[i];
      return (
        other !== undefined && entry.seq === other.seq && entry.prevHash === other.prevHash && entry.hash === other.hash
      );
    })
  );
}

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}
