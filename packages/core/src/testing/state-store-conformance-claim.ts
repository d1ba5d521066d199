import type { StateStore } from '../contracts/state-store.js';
import { type ConformanceFramework, caught, itWhen } from './framework.js';
import { type StateStoreUnderTest, write } from './state-store-fixtures.js';

const KIND = 'claimable';
const IDS = Array.from({ length: 6 }, (_, i) => `r-${i}`);

async function seed(store: StateStore): Promise<void> {
  await store.commit({
    writes: [...IDS.map((id) => write(id, null, { id }, KIND)), write('other-kind', null, {}, 'note')],
    journal: [],
  });
}

const claim = (store: StateStore, owner: string, limit = 100, leaseMs = 60_000) =>
  store.claim!({ kind: KIND, owner, leaseMs, limit });

const sorted = (ids: readonly string[]) => [...ids].sort();

/**
 * The `claim` cases of the state store suite (capability `claim`): leases on the records of a
 * kind, held by one owner at a time, renewed by the next claim, capped by `limit`, released by
 * `limit: 0`, taken over once expired. Reported as skipped for a store without `claim`.
 * @internal
 */
export function registerStateStoreClaimCases(
  framework: ConformanceFramework,
  ctx: () => StateStoreUnderTest,
  capable: boolean,
): void {
  const { expect } = framework;
  const it = (name: string, body: () => Promise<void>) =>
    itWhen(framework, { capability: 'claim', declared: capable }, `${name} (claim)`, body);

  it('leases every record of the kind to a lone owner, and renews them on its next claim', async () => {
    const { store } = ctx();
    await seed(store);
    expect(sorted(await claim(store, 'a'))).toEqual(IDS);
    expect(sorted(await claim(store, 'a'))).toEqual(IDS);
  });

  it('never leases one record to two owners, even when they claim at the same time', async () => {
    const { store } = ctx();
    await seed(store);
    const a = await claim(store, 'a');
    expect(await claim(store, 'b')).toEqual([]); // a holds every lease until it hands some back
    const rounds = [a];
    for (let round = 0; round < 3; round++) {
      const held = await Promise.all([claim(store, 'a'), claim(store, 'b'), claim(store, 'c')]);
      const all = held.flat();
      expect(new Set(all).size).toBe(all.length);
      for (const id of all) expect(IDS.includes(id)).toBe(true);
      rounds.push(...held);
    }
    expect(rounds.some((held) => held.length > 0)).toBe(true);
  });

  it('holds at most `limit` records, and `limit: 0` releases every lease of the owner', async () => {
    const { store } = ctx();
    await seed(store);
    const two = await claim(store, 'a', 2);
    expect(two.length).toBe(2);
    expect(await claim(store, 'a', 0)).toEqual([]);
    // Released, not expired: another owner takes them at once.
    expect(sorted(await claim(store, 'b'))).toEqual(IDS);
  });

  it('hands the leases of an owner that stopped renewing them to another once they expire', async () => {
    const { store, probe } = ctx();
    expect(typeof probe.expireLeases).toBe('function');
    await seed(store);
    expect(sorted(await claim(store, 'a'))).toEqual(IDS);
    expect(await claim(store, 'b')).toEqual([]);
    await probe.expireLeases!(KIND, 'a');
    expect(sorted(await claim(store, 'b'))).toEqual(IDS);
    // a comes back: it no longer holds what b took over.
    const a = await claim(store, 'a');
    const b = await claim(store, 'b');
    expect([...a, ...b].filter((id) => a.includes(id) && b.includes(id))).toEqual([]);
  });

  it('refuses a claim without an owner', async () => {
    const { store } = ctx();
    const error = await caught(expect, () => store.claim!({ kind: KIND, owner: '', leaseMs: 1_000, limit: 1 }));
    expect((error as { code?: unknown }).code).toBe('VALIDATION');
  });
}
