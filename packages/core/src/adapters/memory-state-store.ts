import type { StateStore, Transaction } from '../contracts/state-store.js';
import { AdapterError } from '../errors/errors.js';
import type { JournalEntry } from '../model/journal.js';
import { checkNonceClaim, NonceTable } from './nonce-table.js';
import { RecordTable } from './record-table.js';

/** Options for {@link memoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** Called with each commit before it becomes visible; throw to simulate a failure (tests). */
  beforeCommit?: (tx: Transaction) => void;
}

/** A memory state store, with an out-of-band view of its tables for probes and debugging. */
export interface MemoryStateStore extends StateStore {
  /** Reads the tables directly, bypassing the store API (conformance probes use this). */
  readonly peek: {
    /** A record as stored, or `null`. */
    record(
      kind: string,
      id: string,
    ): {
      /** Its version. */
      version: number;
      /** Its value. */
      value: unknown;
    } | null;
    /** Every journal entry, in order. */
    journal(): JournalEntry[];
  };
}

/**
 * A state store in process memory: fast, isolated, gone on exit. Ideal for tests and examples;
 * several engines can share one instance to race on it.
 *
 * @example
 * ```ts
 * const railyard = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
 * ```
 */
export function memoryStateStore(options: MemoryStateStoreOptions = {}): MemoryStateStore {
  const table = new RecordTable();
  const nonces = new NonceTable();
  const listeners = new Set<() => void>();
  let closed = false;
  const open = () => {
    if (closed) throw new AdapterError('memory state store: closed; create a new one (its contents are gone).');
  };
  return {
    peek: {
      record: (kind, id) => table.records.get(kind)?.get(id) ?? null,
      journal: () => [...table.journal],
    },
    capabilities: { watch: true, nonces: true },
    async get(kind, id) {
      open();
      return table.get(kind, id);
    },
    async list(kind, query) {
      open();
      return table.list(kind, query);
    },
    async commit(tx) {
      open();
      const prepared = table.prepare(tx);
      options.beforeCommit?.(tx);
      const result = table.apply(prepared);
      for (const listener of listeners) queueMicrotask(listener);
      return result;
    },
    async *readJournal(query) {
      open();
      yield* table.readJournal(query);
    },
    async journalHead() {
      open();
      return table.head();
    },
    async rememberNonce(claim) {
      open();
      checkNonceClaim(claim);
      return nonces.remember(claim);
    },
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
    },
  };
}
