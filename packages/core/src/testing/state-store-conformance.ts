import type { StateStore } from '../contracts/state-store.js';
import { AdapterError } from '../errors/errors.js';
import { type ConformanceFramework, caught, codeOf } from './framework.js';
import { registerStateStoreClaimCases } from './state-store-conformance-claim.js';
import { registerStateStoreJournalCases } from './state-store-conformance-journal.js';
import { registerStateStoreNonceCases } from './state-store-conformance-nonces.js';
import { draft, journalOf, type StateStoreUnderTest, write } from './state-store-fixtures.js';

/**
 * What the store under test offers beyond the required methods. The suite runs the cases of each
 * capability the store has and reports the others as skipped; a case checks that the store
 * declares exactly these.
 *
 * @example
 * ```ts
 * const capabilities: StateStoreConformanceCapabilities = { watch: true, claim: false, journalHead: true };
 * ```
 */
export interface StateStoreConformanceCapabilities {
  /** `capabilities.watch` and a `watch` method. */
  watch: boolean;
  /** `capabilities.claim` and a `claim` method (the probe must then offer `expireLeases`). */
  claim: boolean;
  /** A `journalHead` method. */
  journalHead: boolean;
  /** `capabilities.nonces` and a `rememberNonce` method. Default `false`. */
  nonces?: boolean;
}

/** What {@link runStateStoreConformance} needs to know about the adapter. */
export interface StateStoreConformanceOptions {
  /** Shown in the suite's name. */
  name: string;
  /** What the store offers; the cases of a capability it lacks are reported as skipped. */
  capabilities: StateStoreConformanceCapabilities;
  /** Creates an empty store; called once per test. */
  create(): Promise<StateStoreUnderTest>;
}

/**
 * Registers the conformance cases every {@link StateStore} must pass: CAS writes and conflicts,
 * all-or-nothing transactions, deletes, listing and paging, a linear hash-chained journal and its
 * filters, value isolation, racing writers, and the capabilities the store declares (`watch`,
 * `claim`, `journalHead`, `nonces`; the cases of the others are reported as skipped). Each case gets a fresh store.
 *
 * @example
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * runStateStoreConformance({ describe, it, expect, beforeEach, afterEach }, {
 *   name: 'memory',
 *   capabilities: { watch: true, claim: false, journalHead: true },
 *   async create() {
 *     const store = memoryStateStore();
 *     return { store, probe: { readRecord: async (k, id) => store.peek.record(k, id), readJournal: async () => store.peek.journal() } };
 *   },
 * });
 * ```
 */
export function runStateStoreConformance(framework: ConformanceFramework, options: StateStoreConformanceOptions): void {
  const { describe, it, expect, beforeEach, afterEach } = framework;
  let current: StateStoreUnderTest | undefined;
  const ctx = (): StateStoreUnderTest => {
    if (!current)
      throw new AdapterError(
        'state store conformance: no store to test: create() failed (see its error) or the framework did not run beforeEach.',
      );
    return current;
  };

  describe(`StateStore conformance: ${options.name}`, () => {
    beforeEach(async () => {
      current = await options.create();
    });
    afterEach(async () => {
      const done = current;
      current = undefined;
      await done?.store.close();
      await done?.cleanup?.();
    });

    it('declares the capabilities the suite was told it has', async () => {
      const { store } = ctx();
      const declared = options.capabilities;
      expect(store.capabilities.watch).toBe(declared.watch);
      expect(typeof store.watch === 'function').toBe(declared.watch);
      expect(store.capabilities.claim === true).toBe(declared.claim);
      expect(typeof store.claim === 'function').toBe(declared.claim);
      expect(typeof store.journalHead === 'function').toBe(declared.journalHead);
      expect(store.capabilities.nonces === true).toBe(declared.nonces === true);
      expect(typeof store.rememberNonce === 'function').toBe(declared.nonces === true);
    });

    it('get returns null for a record that does not exist', async () => {
      const { store, probe } = ctx();
      expect(await store.get('note', 'missing')).toBe(null);
      expect(await probe.readRecord('note', 'missing')).toBe(null);
    });

    it('creates a record at version 1 when expectedVersion is null', async () => {
      const { store, probe } = ctx();
      const result = await store.commit({ writes: [write('a', null, { text: 'hi' })], journal: [] });
      expect(result.versions).toEqual([1]);
      expect(await store.get('note', 'a')).toEqual({ id: 'a', version: 1, value: { text: 'hi' } });
      expect(await probe.readRecord('note', 'a')).toEqual({ version: 1, value: { text: 'hi' } });
    });

    it('updates a record written with its current version to the next version', async () => {
      const { store, probe } = ctx();
      await store.commit({ writes: [write('a', null, { n: 1 })], journal: [] });
      const result = await store.commit({ writes: [write('a', 1, { n: 2 })], journal: [] });
      expect(result.versions).toEqual([2]);
      expect(await store.get('note', 'a')).toEqual({ id: 'a', version: 2, value: { n: 2 } });
      expect(await probe.readRecord('note', 'a')).toEqual({ version: 2, value: { n: 2 } });
    });

    it('refuses a stale expectedVersion with VersionConflictError and changes nothing', async () => {
      const { store, probe } = ctx();
      await store.commit({ writes: [write('a', null, { n: 1 })], journal: [draft()] });
      await store.commit({ writes: [write('a', 1, { n: 2 })], journal: [] });
      const error = await caught(expect, () => store.commit({ writes: [write('a', 1, { n: 3 })], journal: [draft()] }));
      expect(codeOf(error)).toBe('VERSION_CONFLICT');
      expect((error as { details: unknown }).details).toEqual({ kind: 'note', id: 'a', expected: 1, actual: 2 });
      expect(await probe.readRecord('note', 'a')).toEqual({ version: 2, value: { n: 2 } });
      expect((await probe.readJournal()).length).toBe(1);
      expect((await journalOf(store)).length).toBe(1);
    });

    it('refuses to create a record that already exists', async () => {
      const { store, probe } = ctx();
      await store.commit({ writes: [write('a', null, { n: 1 })], journal: [] });
      const error = await caught(expect, () => store.commit({ writes: [write('a', null, { n: 9 })], journal: [] }));
      expect(codeOf(error)).toBe('VERSION_CONFLICT');
      expect((error as { details: { actual: unknown } }).details.actual).toBe(1);
      expect(await probe.readRecord('note', 'a')).toEqual({ version: 1, value: { n: 1 } });
    });

    it('applies no write and no journal entry of a transaction with one stale write', async () => {
      const { store, probe } = ctx();
      await store.commit({ writes: [write('a', null, 'a1'), write('b', null, 'b1')], journal: [draft()] });
      const tx = {
        writes: [write('a', 1, 'a2'), write('c', null, 'c1'), write('b', 2, 'b2')],
        journal: [draft(), draft()],
      };
      expect(codeOf(await caught(expect, () => store.commit(tx)))).toBe('VERSION_CONFLICT');
      expect(await probe.readRecord('note', 'a')).toEqual({ version: 1, value: 'a1' });
      expect(await probe.readRecord('note', 'b')).toEqual({ version: 1, value: 'b1' });
      expect(await probe.readRecord('note', 'c')).toBe(null);
      expect(await store.get('note', 'c')).toBe(null);
      expect((await probe.readJournal()).length).toBe(1);
      expect((await store.get('note', 'a'))?.value).toBe('a1');
    });

    it('deletes a record written with value null', async () => {
      const { store, probe } = ctx();
      await store.commit({ writes: [write('a', null, { n: 1 }), write('b', null, { n: 1 })], journal: [] });
      expect(codeOf(await caught(expect, () => store.commit({ writes: [write('a', 2, null)], journal: [] })))).toBe(
        'VERSION_CONFLICT',
      );
      await store.commit({ writes: [write('a', 1, null)], journal: [] });
      expect(await store.get('note', 'a')).toBe(null);
      expect(await probe.readRecord('note', 'a')).toBe(null);
      expect((await store.list('note')).items.map((item) => item.id)).toEqual(['b']);
      await store.commit({ writes: [write('a', null, { n: 'again' })], journal: [] });
      expect((await store.get('note', 'a'))?.value).toEqual({ n: 'again' });
    });

    it('lists ids in ascending order, by prefix and kind, page by page', async () => {
      const { store } = ctx();
      const ids = ['b-2', 'a-1', 'b-1', 'c-1', 'b-3'];
      await store.commit({
        writes: [...ids.map((id) => write(id, null, { id })), write('b-0', null, {}, 'other')],
        journal: [],
      });
      const all = await store.list('note');
      expect(all.items.map((item) => item.id)).toEqual(['a-1', 'b-1', 'b-2', 'b-3', 'c-1']);
      expect(all.items[0]).toEqual({ id: 'a-1', version: 1, value: { id: 'a-1' } });
      expect(all.next).toBe(undefined);
      expect((await store.list('note', { prefix: 'b-' })).items.map((item) => item.id)).toEqual(['b-1', 'b-2', 'b-3']);
      const first = await store.list('note', { prefix: 'b-', limit: 2 });
      expect(first.items.map((item) => item.id)).toEqual(['b-1', 'b-2']);
      expect(typeof first.next).toBe('string');
      const second = await store.list('note', { prefix: 'b-', limit: 2, after: first.next });
      expect(second.items.map((item) => item.id)).toEqual(['b-3']);
      expect(second.next).toBe(undefined);
      const paged: string[] = [];
      let after: string | undefined;
      do {
        const page = await store.list('note', { limit: 2, after });
        paged.push(...page.items.map((item) => item.id));
        after = page.next;
      } while (after !== undefined);
      expect(paged).toEqual(['a-1', 'b-1', 'b-2', 'b-3', 'c-1']);
      expect((await store.list('missing-kind')).items).toEqual([]);
    });

    registerStateStoreJournalCases(framework, ctx, options.capabilities);
    registerStateStoreClaimCases(framework, ctx, options.capabilities.claim);
    registerStateStoreNonceCases(framework, ctx, options.capabilities.nonces === true);
  });
}
