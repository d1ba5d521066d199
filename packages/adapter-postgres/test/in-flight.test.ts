import { migrate } from '@railyard/adapter-postgres';
import { IN_FLIGHT_DEPLOYMENT_STATUSES } from '@railyard/core/adapters';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, skipPg, testPool } from './pg.js';

const pool = testPool();
const schema = freshSchema('inflight');
afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

describe.skipIf(skipPg)('the in-flight invariant (PostgreSQL server required)', () => {
  it('indexes only statuses that hold the in-flight slot according to core’s deployment machine', async () => {
    await migrate({ pool, schema });
    const { rows } = await pool.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'records_one_in_flight_deployment'`,
      [schema],
    );
    const definition = String(rows[0]?.indexdef);
    // PostgreSQL prints the predicate's IN list as ARRAY['transferring'::text, …].
    const list = /ARRAY\[([^\]]*)\]/.exec(definition)?.[1] ?? '';
    const indexed = [...list.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]);
    expect(indexed.length).toBeGreaterThan(0);
    // A status indexed here but not holding the slot would refuse legal commits. (A status core adds
    // to the list needs a new migration that recreates the index: migrations never change.)
    for (const status of indexed) expect(IN_FLIGHT_DEPLOYMENT_STATUSES).toContain(status);
  });
});
