import { GENESIS_HASH } from '../journal/chain.js';
import type { JournalEntry } from '../model/journal.js';
import { type ConformanceFramework, codeOf, itWhen } from './framework.js';
import {
  collect,
  draft,
  expectChain,
  journalOf,
  richValue,
  type StateStoreUnderTest,
  write,
} from './state-store-fixtures.js';

/**
 * The journal, isolation, concurrency and watch cases of the state store suite.
 * @internal
 */
export function registerStateStoreJournalCases(
  framework: ConformanceFramework,
  ctx: () => StateStoreUnderTest,
  capabilities: { watch: boolean; journalHead: boolean },
): void {
  const { it, expect } = framework;

  it('chains journal entries: seq from 1, each prevHash the previous hash, each hash its digest', async () => {
    const { store, probe } = ctx();
    const returned: JournalEntry[] = [];
    returned.push(
      ...(await store.commit({ writes: [], journal: [draft({ data: { i: 1 } }), draft({ data: { i: 2 } })] })).journal,
    );
    returned.push(
      ...(await store.commit({ writes: [write('a', null, 1)], journal: [draft({ data: { i: 3 } })] })).journal,
    );
    returned.push(...(await store.commit({ writes: [write('a', 1, 2)], journal: [] })).journal);
    returned.push(
      ...(await store.commit({ writes: [], journal: [draft({ type: 'x.y', reason: 'because' })] })).journal,
    );
    const read = await journalOf(store);
    expect(read.length).toBe(4);
    expectChain(expect, read);
    expect(read).toEqual(returned);
    expect(read.map((entry) => entry.data)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }, {}]);
    expect(read[3]?.reason).toBe('because');
    expect(await probe.readJournal()).toEqual(read);
  });

  itWhen(
    framework,
    { capability: 'journalHead', declared: capabilities.journalHead },
    'reports the journal head: genesis when empty, then the last entry (journalHead)',
    async () => {
      const { store } = ctx();
      expect(await store.journalHead!()).toEqual({ seq: 0, hash: GENESIS_HASH });
      await store.commit({ writes: [], journal: [draft({ data: { i: 1 } }), draft({ data: { i: 2 } })] });
      const last = (await journalOf(store)).at(-1);
      expect(await store.journalHead!()).toEqual({ seq: last?.seq, hash: last?.hash });
    },
  );

  it('reads the journal after a sequence number, with a limit, and by environment, deployment or actor', async () => {
    const { store } = ctx();
    const bob = { id: 'bob', roles: [] };
    await store.commit({
      writes: [],
      journal: [
        draft({ environment: 'prod', deploymentId: 'd1' }),
        draft({ environment: 'staging', deploymentId: 'd2', actor: bob }),
        draft({ environment: 'prod', deploymentId: 'd2', actor: bob }),
        draft(),
      ],
    });
    const seqs = async (query: Parameters<typeof store.readJournal>[0]) =>
      (await collect(store.readJournal(query))).map((entry) => entry.seq);
    expect(await seqs({ after: 2 })).toEqual([3, 4]);
    expect(await seqs({ after: 4 })).toEqual([]);
    expect(await seqs({ after: 1, limit: 2 })).toEqual([2, 3]);
    expect(await seqs({ environment: 'prod' })).toEqual([1, 3]);
    expect(await seqs({ deploymentId: 'd2' })).toEqual([2, 3]);
    expect(await seqs({ actorId: 'alice' })).toEqual([1, 4]);
    expect(await seqs({ environment: 'prod', after: 1 })).toEqual([3]);
    expect(await seqs({ actorId: 'bob', limit: 1 })).toEqual([2]);
  });

  it('round-trips values deep-equal and never shares them with callers', async () => {
    const { store, probe } = ctx();
    const value = richValue();
    await store.commit({ writes: [write('a', null, value)], journal: [draft({ data: { list: [1] } })] });
    (value.list as unknown[]).push('mutated after commit');
    const read = await store.get('note', 'a');
    expect(read?.value).toEqual(richValue());
    expect(await probe.readRecord('note', 'a')).toEqual({ version: 1, value: richValue() });
    // A store may hand out copies or frozen values: either way a reader's mutation never reaches it.
    attempt(() => (read?.value as { list: unknown[] } | undefined)?.list.push('mutated after get'));
    const listed = (await store.list('note')).items[0]?.value as { nested: Record<string, unknown> } | undefined;
    attempt(() => {
      if (listed) listed.nested.extra = true;
    });
    expect((await store.get('note', 'a'))?.value).toEqual(richValue());
    const [entry] = await journalOf(store);
    attempt(() => (entry?.data.list as unknown[] | undefined)?.push(2));
    expect((await journalOf(store))[0]?.data).toEqual({ list: [1] });
  });

  it('lets exactly one of 20 concurrent writers expecting the same version win', async () => {
    const { store, probe } = ctx();
    await store.commit({ writes: [write('env', null, { active: 'none' })], journal: [] });
    const racers = Array.from({ length: 20 }, (_, i) =>
      store.commit({ writes: [write('env', 1, { active: `bundle-${i}` })], journal: [draft({ data: { i } })] }),
    );
    const settled = await Promise.allSettled(racers);
    const winners = settled.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
    expect(winners.length).toBe(1);
    const losers = settled.filter((outcome) => outcome.status === 'rejected');
    expect(losers.map((outcome) => codeOf(outcome.reason))).toEqual(losers.map(() => 'VERSION_CONFLICT'));
    const expected = { version: 2, value: { active: `bundle-${winners[0]}` } };
    expect(await store.get('note', 'env')).toEqual({ id: 'env', ...expected });
    expect(await probe.readRecord('note', 'env')).toEqual(expected);
    const journal = await probe.readJournal();
    expect(journal.map((entry) => entry.data)).toEqual([{ i: winners[0] }]);
  });

  it('applies concurrent commits on different records and keeps one linear journal', async () => {
    const { store, probe } = ctx();
    const count = 25;
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.commit({ writes: [write(`r-${i}`, null, { i })], journal: [draft({ data: { i } })] }),
      ),
    );
    expect(results.map((result) => result.versions)).toEqual(results.map(() => [1]));
    const journal = await journalOf(store);
    expect(journal.length).toBe(count);
    expectChain(expect, journal);
    expect(journal.map((entry) => entry.data.i).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: count }, (_, i) => i),
    );
    expect(await probe.readJournal()).toEqual(journal);
    for (let i = 0; i < count; i++)
      expect(await probe.readRecord('note', `r-${i}`)).toEqual({ version: 1, value: { i } });
  });

  itWhen(
    framework,
    { capability: 'watch', declared: capabilities.watch },
    'notifies watchers after a commit, until they unsubscribe (watch)',
    async () => {
      const { store } = ctx();
      const watch = store.watch!.bind(store);
      let firstCalls = 0;
      const seenByFirst = new Promise<unknown>((resolve) => {
        const stop = watch(() => {
          firstCalls++;
          stop();
          // The commit must be visible by the time a watcher hears of it.
          resolve(store.get('note', 'w'));
        });
      });
      await store.commit({ writes: [write('w', null, 1)], journal: [] });
      expect(await seenByFirst).toEqual({ id: 'w', version: 1, value: 1 });
      const second = new Promise<void>((resolve) => {
        const stop = watch(() => {
          stop();
          resolve();
        });
      });
      await store.commit({ writes: [write('w', 1, 2)], journal: [] });
      await second;
      expect(firstCalls).toBe(1);
    },
  );
}

/** Runs a mutation that may throw because the value is frozen; a TypeError is an acceptable answer. */
function attempt(mutate: () => unknown): void {
  try {
    mutate();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}
