import type { StateStore, Transaction } from '../contracts/state-store.js';
import { RecordTable } from './record-table.js';

/** Options for {@link memoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** Called with each commit before it becomes visible; throw to simulate a failure (tests). */
  beforeCommit?: (tx: Transaction) => void;
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
export function memoryStateStore(options: MemoryStateStoreOptions = {}): StateStore & { readonly table: RecordTable } {
  const table = new RecordTable();
  const listeners = new Set<() => void>();
  let closed = false;
  const open = () => {
    if (closed) throw new Error('memory state store: closed');
  };
  return {
    table,
    capabilities: { watch: true },
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
