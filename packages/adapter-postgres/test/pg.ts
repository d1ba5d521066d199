// The PostgreSQL server the tests run against: RAILYARD_TEST_PG_URL, else the local server.
import { randomUUID } from 'node:crypto';
import { migrate, type PostgresStateStore, postgresStateStore } from '@railyard/adapter-postgres';
import type { JournalEntry } from '@railyard/core/adapters';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export const PG_URL = process.env.RAILYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A pool on the test server; idle-connection errors (a test terminating backends) are expected. */
export function testPool(options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 10, ...options });
  pool.on('error', () => undefined);
  return pool;
}

async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the server answers. Without it these tests are skipped locally (say why), but under CI
 * they run and fail: an unreachable server there is a broken setup, not a reason to pass.
 */
export const reachable = await probe();
export const skipReason = reachable
  ? ''
  : `PostgreSQL is not reachable at ${PG_URL}: start it (pg_ctlcluster 15 main start) or set RAILYARD_TEST_PG_URL`;
export const skipPg = !reachable && !process.env.CI;
if (skipPg) console.warn(`adapter-postgres tests skipped: ${skipReason}`);

/** A fresh schema name for one test or file. */
export function freshSchema(label: string): string {
  return `ry_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Reads the tables directly, bypassing the store (the conformance probe). */
export function tableProbe(pool: pg.Pool, schema: string) {
  return {
    async readRecord(kind: string, id: string) {
      const { rows } = await pool.query(`SELECT version, value FROM "${schema}".records WHERE kind = $1 AND id = $2`, [
        kind,
        id,
      ]);
      return rows[0] ? { version: Number(rows[0].version), value: rows[0].value as unknown } : null;
    },
    async readJournal(): Promise<JournalEntry[]> {
      const { rows } = await pool.query(`SELECT entry, hash FROM "${schema}".journal ORDER BY seq`);
      return rows.map((row) => ({ ...row.entry, hash: row.hash }));
    },
    async expireLeases(kind: string, owner: string) {
      await pool.query(
        `UPDATE "${schema}".leases SET until = now() - interval '1 second' WHERE kind = $1 AND owner = $2`,
        [kind, owner],
      );
      await pool.query(`UPDATE "${schema}".workers SET until = now() - interval '1 second' WHERE owner = $1`, [owner]);
    },
  };
}

/** A pool, a fresh schema and a store on it, shared by one test file; `store` is set once migrated. */
export interface FileDatabase {
  pool: pg.Pool;
  schema: string;
  store: PostgresStateStore;
}

/**
 * Registers the file's setup and teardown: migrate a fresh schema and open a store on it before the
 * tests (unless PostgreSQL is skipped), and close, drop the schema and end the pool after them.
 */
export function useFileDatabase(label: string): FileDatabase {
  const db = { pool: testPool(), schema: freshSchema(label) } as FileDatabase;
  beforeAll(async () => {
    if (skipPg) return;
    await migrate({ pool: db.pool, schema: db.schema });
    db.store = await postgresStateStore({ pool: db.pool, schema: db.schema });
  });
  afterAll(async () => {
    await db.store?.close();
    await dropSchema(db.pool, db.schema);
    await db.pool.end();
  });
  return db;
}
