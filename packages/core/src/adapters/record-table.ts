import type { CommitResult, JournalQuery, ListQuery, Page, Transaction, Versioned } from '../contracts/state-store.js';
import { ValidationError, VersionConflictError } from '../errors/errors.js';
import { chainJournal, GENESIS_HASH } from '../journal/chain.js';
import type { JournalEntry } from '../model/journal.js';

const MAX_PAGE = 1000;

/**
 * A deep-frozen JSON copy of a value: what the tables hold and hand out. Copying on the way in
 * means a caller's later mutation never reaches the store; freezing means a reader can be given
 * the stored value itself (no copy per read), and any attempt to mutate it throws.
 */
function frozenCopy<T>(value: T): T {
  return value === undefined ? value : deepFreeze(JSON.parse(JSON.stringify(value)) as T);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The in-memory tables behind the memory and file stores: records by kind, and the journal.
 * `prepare` checks a transaction and computes its result without changing anything; `apply`
 * then makes it visible. Stored values are frozen JSON copies, handed to readers as they are.
 * @internal
 */
export class RecordTable {
  readonly records = new Map<string, Map<string, { version: number; value: unknown }>>();
  readonly journal: JournalEntry[] = [];

  get(kind: string, id: string): Versioned | null {
    const row = this.records.get(kind)?.get(id);
    return row ? { id, version: row.version, value: row.value } : null;
  }

  list(kind: string, query: ListQuery = {}): Page<Versioned> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), MAX_PAGE);
    const ids = [...(this.records.get(kind)?.keys() ?? [])]
      .filter(
        (id) =>
          (query.prefix === undefined || id.startsWith(query.prefix)) &&
          (query.after === undefined || id > query.after),
      )
      .sort();
    const items = ids.slice(0, limit).map((id) => this.get(kind, id) as Versioned);
    return ids.length > limit ? { items, next: ids[limit - 1] as string } : { items };
  }

  /** Checks every expected version and chains the journal; throws `VersionConflictError` on a stale write. */
  prepare(tx: Transaction): { tx: Transaction; result: CommitResult } {
    const seen = new Set<string>();
    const versions = tx.writes.map((write) => {
      const key = `${write.kind}\u0000${write.id}`;
      if (seen.has(key))
        throw new ValidationError(
          `commit: ${write.kind} "${write.id}" is written twice in one transaction; merge the two writes into one.`,
        );
      seen.add(key);
      const actual = this.records.get(write.kind)?.get(write.id)?.version ?? null;
      if (actual !== write.expectedVersion) {
        throw new VersionConflictError({ kind: write.kind, id: write.id, expected: write.expectedVersion, actual });
      }
      return (actual ?? 0) + 1;
    });
    const journal = chainJournal(this.head(), frozenCopy(tx.journal)).map(deepFreeze);
    const writes = tx.writes.map((write) => ({ ...write, value: frozenCopy(write.value) }));
    return { tx: { writes, journal: tx.journal }, result: { versions, journal } };
  }

  /** Makes a prepared transaction visible. */
  apply(prepared: { tx: Transaction; result: CommitResult }): CommitResult {
    prepared.tx.writes.forEach((write, index) => {
      const table = this.records.get(write.kind) ?? new Map<string, { version: number; value: unknown }>();
      this.records.set(write.kind, table);
      if (write.value === null) table.delete(write.id);
      else table.set(write.id, { version: prepared.result.versions[index] as number, value: deepFreeze(write.value) });
    });
    const journal = prepared.result.journal.map(deepFreeze);
    this.journal.push(...journal);
    return { versions: [...prepared.result.versions], journal };
  }

  head(): { seq: number; hash: string } {
    const last = this.journal.at(-1);
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  *readJournal(query: JournalQuery = {}): Generator<JournalEntry> {
    let count = 0;
    const start = Math.max(query.after ?? 0, 0);
    for (let i = start; i < this.journal.length; i++) {
      const entry = this.journal[i] as JournalEntry;
      if (query.environment !== undefined && entry.environment !== query.environment) continue;
      if (query.deploymentId !== undefined && entry.deploymentId !== query.deploymentId) continue;
      if (query.actorId !== undefined && entry.actor.id !== query.actorId) continue;
      if (query.limit !== undefined && count++ >= query.limit) return;
      yield entry;
    }
  }
}
