import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
import { createRailyard, memoryBlobStore } from '@railyard/core';
import { IN_FLIGHT_STATES } from '@railyard/core/adapters';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, skipPg, testPool } from './pg.js';

const pool = testPool();
const schemas: string[] = [];
const schemaFor = (label: string) => {
  const schema = freshSchema(label);
  schemas.push(schema);
  return schema;
};
afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

describe.skipIf(skipPg)('migrate (PostgreSQL server required)', () => {
  it('creates the schema once when several processes migrate at the same time, and is idempotent', async () => {
    const schema = schemaFor('mig');
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate({ pool, schema })));
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(new Set(results.map((r) => r.version)).size).toBe(1);
    expect(await migrate({ pool, schema })).toMatchObject({ schema, applied: [] });
    const { rows } = await pool.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
    expect(rows.map((row) => row.version)).toEqual(Array.from({ length: results[0]?.version ?? 0 }, (_, i) => i + 1));
    await (await postgresStateStore({ pool, schema })).close();
  });

  it("indexes one in-flight deployment per environment over exactly core's IN_FLIGHT_STATES", async () => {
    const schema = schemaFor('inflight');
    await migrate({ pool, schema });
    const { rows } = await pool.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'records_one_in_flight_deployment'`,
      [schema],
    );
    const definition = String(rows[0]?.indexdef);
    const list = definition.slice(definition.indexOf('ARRAY['));
    const statuses = [...list.matchAll(/'([a-z_]+)'::text/g)].map((match) => match[1]);
    // If core's list changes, a new migration must recreate the index: this test says so.
    expect(statuses.sort()).toEqual([...IN_FLIGHT_STATES].sort());
  });

  it('refuses to open a schema that was never migrated, saying to run migrate()', async () => {
    const schema = schemaFor('none');
    const opening = postgresStateStore({ pool, schema });
    await expect(opening).rejects.toMatchObject({ code: 'CAPABILITY_MISSING' });
    await expect(opening).rejects.toThrow(`is at version 0`);
    await expect(opening).rejects.toThrow(`Run migrate({ pool, schema: '${schema}' })`);
  });

  it('reports whether its migrations are applied, and readiness follows', async () => {
    const schema = schemaFor('ready');
    const { version } = await migrate({ pool, schema });
    const store = await postgresStateStore({ pool, schema });
    expect(await store.schemaStatus()).toEqual({ current: true, applied: version, expected: version });
    const railyard = createRailyard({ store, blobs: memoryBlobStore() });
    expect(await railyard.readiness()).toEqual({
      ready: true,
      checks: {
        store: { ok: true },
        blobs: { ok: true },
        schema: { ok: true, current: true, applied: version, expected: version },
      },
    });
    // Someone rolls the schema back under the running process: it stops being ready, and says why.
    await pool.query(`DELETE FROM "${schema}".migrations WHERE version = $1`, [version]);
    const after = await railyard.readiness();
    expect(after.ready).toBe(false);
    expect(after.checks.schema).toMatchObject({ ok: false, applied: version - 1, expected: version });
    expect(after.checks.schema?.error).toContain('run its migrations');
    await railyard.close();
  });

  it('refuses a schema older than the adapter, and one newer than it', async () => {
    const schema = schemaFor('old');
    const { version } = await migrate({ pool, schema });
    await pool.query(`DELETE FROM "${schema}".migrations WHERE version = $1`, [version]);
    await expect(postgresStateStore({ pool, schema })).rejects.toThrow(/is at version \d+, and this .* needs version/);
    await pool.query(`INSERT INTO "${schema}".migrations (version, name) VALUES ($1, 'past'), ($2, 'future')`, [
      version,
      version + 1,
    ]);
    await expect(postgresStateStore({ pool, schema })).rejects.toThrow(/newer than this .* knows/);
    await expect(migrate({ pool, schema })).rejects.toThrow(/Upgrade @railyard\/adapter-postgres/);
  });

  it('refuses a schema name that is not a plain identifier, before touching the database', async () => {
    await expect(migrate({ pool, schema: 'Robert"; DROP TABLE x; --' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(postgresStateStore({ pool, schema: '' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
