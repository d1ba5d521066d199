import { migrate, type PostgresStateStore, postgresStateStore } from '@railyard/adapter-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, skipPg, testPool } from './pg.js';

const pool = testPool();
const schema = freshSchema('claim');
let store: PostgresStateStore;
const claim = (owner: string, limit = 100) => store.claim({ kind: 'environment', owner, leaseMs: 60_000, limit });

beforeAll(async () => {
  if (skipPg) return;
  await migrate({ pool, schema });
  store = await postgresStateStore({ pool, schema });
  const ids = Array.from({ length: 10 }, (_, i) => `env-${i}`);
  await store.commit({
    writes: ids.map((id) => ({ kind: 'environment', id, expectedVersion: null, value: {} })),
    journal: [],
  });
});
afterAll(async () => {
  await store?.close();
  await dropSchema(pool, schema);
  await pool.end();
});

describe.skipIf(skipPg)('work claiming (PostgreSQL server required)', () => {
  it('shares records fairly among the workers claiming, never leasing one record to two', async () => {
    expect(await claim('a')).toHaveLength(10); // alone, a takes everything
    expect(await claim('b')).toEqual([]); // b is now known, but a holds every lease
    expect(await claim('a')).toHaveLength(5); // a hands back what is above its share
    const b = await claim('b');
    const a = await claim('a');
    expect(b).toHaveLength(5);
    expect([...a, ...b].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `env-${i}`));
    // Concurrent claims of a third worker and the others never overlap.
    const [a2, b2, c2] = await Promise.all([claim('a'), claim('b'), claim('c')]);
    const held = [...(a2 ?? []), ...(b2 ?? []), ...(c2 ?? [])];
    expect(new Set(held).size).toBe(held.length);
    expect(await claim('a', 2)).toHaveLength(2); // a limit caps the share
  });

  it('releases on request, and takes over the leases of a worker that stopped renewing them', async () => {
    await claim('a', 0);
    await claim('b', 0);
    await claim('c', 0);
    expect(await claim('d')).toHaveLength(10);
    expect(await claim('d', 0)).toEqual([]);
    expect(await claim('e')).toHaveLength(10);
    // e dies: its leases and its worker row run out.
    await pool.query(`UPDATE "${schema}".leases SET until = now() - interval '1 second' WHERE owner = 'e'`);
    await pool.query(`UPDATE "${schema}".workers SET until = now() - interval '1 second' WHERE owner = 'e'`);
    expect(await claim('f')).toHaveLength(10);
    await expect(store.claim({ kind: 'environment', owner: '', leaseMs: 1, limit: 1 })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});
