import type { RecordWrite, StateStore } from '../contracts/state-store.js';
import { GENESIS_HASH, hashJournalEntry } from '../journal/chain.js';
import type { JournalDraft, JournalEntry } from '../model/journal.js';
import type { ConformanceFramework } from './framework.js';

/**
 * An out-of-band view of a state store's backend (its tables, files or rows), read without going
 * through the store under test, so that a suite can check what was really written.
 *
 * @example
 * ```ts
 * const probe: StateStoreProbe = {
 *   readRecord: async (kind, id) => store.peek.record(kind, id),
 *   readJournal: async () => store.peek.journal(),
 * };
 * ```
 */
export interface StateStoreProbe {
  /** The record as the backend holds it, or `null`. */
  readRecord(
    kind: string,
    id: string,
  ): Promise<{
    /** Its version. */
    version: number;
    /** Its value. */
    value: unknown;
  } | null>;
  /** The whole journal as the backend holds it, in order. */
  readJournal(): Promise<JournalEntry[]>;
  /**
   * Makes every lease `owner` holds on `kind` run out now, as if its worker had stopped renewing
   * them (and the worker itself, if the store tracks workers). Required when the store has `claim`.
   */
  expireLeases?(kind: string, owner: string): Promise<void>;
}

/** A journal draft for tests. @internal */
export function draft(overrides: Partial<JournalDraft> = {}): JournalDraft {
  return {
    at: '2026-01-01T00:00:00.000Z',
    actor: { id: 'alice', roles: ['ops'] },
    type: 'conformance.test',
    subject: { kind: 'note', id: 'n' },
    data: {},
    ...overrides,
  };
}

/** A record write for tests. @internal */
export function write(id: string, expectedVersion: number | null, value: unknown, kind = 'note'): RecordWrite {
  return { kind, id, expectedVersion, value };
}

/** Reads a whole async iterable. @internal */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Everything the store's own `readJournal` returns. @internal */
export function journalOf(store: StateStore): Promise<JournalEntry[]> {
  return collect(store.readJournal());
}

/**
 * Asserts that entries form one hash chain from the genesis hash: `seq` 1..n, each `prevHash` the
 * previous `hash`, each `hash` the digest of the entry.
 * @internal
 */
export function expectChain(expect: ConformanceFramework['expect'], entries: readonly JournalEntry[]): void {
  expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
  let previous = GENESIS_HASH;
  for (const entry of entries) {
    expect(entry.prevHash).toBe(previous);
    expect(entry.hash).toBe(hashJournalEntry(entry));
    previous = entry.hash;
  }
}

/** A value exercising every JSON type, nesting and non-ASCII text. @internal */
export function richValue(): Record<string, unknown> {
  return {
    text: 'héllo ✓ 🚂 "quoted" \\ back\nslash',
    int: 42,
    float: -1.5e-7,
    big: 9007199254740991,
    yes: true,
    no: false,
    nothing: null,
    list: [1, 'two', [3], { four: 4 }],
    nested: { deeper: { deepest: ['x'] } },
    empty: {},
    emptyList: [],
  };
}

/** A fresh, isolated store for one test, with its probe. */
export interface StateStoreUnderTest {
  /** The store under test. */
  store: StateStore;
  /** Reads the store's backend directly, bypassing the store. */
  probe: StateStoreProbe;
  /** Removes whatever `create` set up (a temp directory, a schema); runs after `store.close()`. */
  cleanup?(): Promise<void>;
}
