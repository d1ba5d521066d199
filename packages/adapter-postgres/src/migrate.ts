import { CapabilityError } from '@railyard/core/errors';
import { toStoreError } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { PgPool } from './pool.js';
import { type SchemaNames, schemaNames } from './schema-name.js';

/**
 * Options of {@link migrate}.
 *
 * @example
 * ```ts
 * const options: MigrateOptions = { pool, schema: 'railyard_eu' };
 * ```
 */
export interface MigrateOptions {
  /** The pool to migrate through. */
  pool: PgPool;
  /** The schema to create or upgrade (default `railyard`). */
  schema?: string;
}

/**
 * What {@link migrate} did.
 *
 * @example
 * ```ts
 * const { version, applied } = await migrate({ pool });
 * if (applied.length > 0) console.log(`schema upgraded to version ${version}`);
 * ```
 */
export interface MigrateResult {
  /** The schema migrated. */
  schema: string;
  /** The schema's version afterwards. */
  version: number;
  /** The versions this call applied (empty when the schema was already up to date). */
  applied: number[];
}

/**
 * Creates or upgrades the store's schema: every pending migration, in order, in one transaction,
 * under an advisory lock, so that several processes may call it at once at start-up. Calling it
 * again is a no-op.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate({ pool, schema: 'railyard' });
 * const store = await postgresStateStore({ pool, schema: 'railyard' });
 * ```
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const names = schemaNames(options.schema);
  const client = await options.pool.connect().catch((error: unknown) => {
    throw toStoreError(error, 'migrate (connect)');
  });
  let broken: Error | undefined;
  try {
    await client.query({ text: 'BEGIN' });
    await client.query({
      text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
      values: [`railyard.migrate:${names.schema}`],
    });
    const encoding = (await client.query({ text: 'SHOW server_encoding' })).rows[0]?.server_encoding;
    if (encoding !== 'UTF8') {
      throw new CapabilityError(
        'postgres-utf8',
        `The database's encoding is ${String(encoding)}; Railyard needs UTF8 (journal hashes are computed over UTF-8 text). Create the database with ENCODING 'UTF8'.`,
      );
    }
    // Create the schema only when missing: `CREATE SCHEMA IF NOT EXISTS` needs CREATE on the
    // database even when the schema exists, and an owner role given its schema should need no more.
    const { rowCount } = await client.query({
      text: 'SELECT 1 FROM pg_namespace WHERE nspname = $1',
      values: [names.schema],
    });
    if (rowCount === 0) await client.query({ text: `CREATE SCHEMA IF NOT EXISTS ${names.q}` });
    await client.query({
      text: `CREATE TABLE IF NOT EXISTS ${names.migrations} (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    });
    const current = Number(
      (await client.query({ text: `SELECT coalesce(max(version), 0) AS v FROM ${names.migrations}` })).rows[0]?.v,
    );
    if (current > SCHEMA_VERSION) throw newerSchema(names, current);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query({ text: migration.sql(names) });
      await client.query({
        text: `INSERT INTO ${names.migrations} (version, name) VALUES ($1, $2)`,
        values: [migration.version, migration.name],
      });
      applied.push(migration.version);
    }
    await client.query({ text: 'COMMIT' });
    return { schema: names.schema, version: Math.max(current, SCHEMA_VERSION), applied };
  } catch (error) {
    await client.query({ text: 'ROLLBACK' }).catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw toStoreError(error, `migrate schema "${names.schema}"`);
  } finally {
    client.release(broken);
  }
}

/**
 * The schema's version: the last migration applied, 0 when never migrated.
 * @internal
 */
export async function readSchemaVersion(pool: PgPool, names: SchemaNames): Promise<number> {
  try {
    const result = await pool.query({ text: `SELECT coalesce(max(version), 0) AS v FROM ${names.migrations}` });
    return Number(result.rows[0]?.v);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // 42P01 undefined_table, 3F000 invalid_schema_name: never migrated.
    if (code !== '42P01' && code !== '3F000') throw toStoreError(error, 'schema version');
    return 0;
  }
}

/**
 * Fails unless the schema is at exactly the version this adapter needs.
 * @internal
 */
export async function assertSchemaVersion(pool: PgPool, names: SchemaNames): Promise<void> {
  const version = await readSchemaVersion(pool, names);
  if (version > SCHEMA_VERSION) throw newerSchema(names, version);
  if (version < SCHEMA_VERSION) {
    throw new CapabilityError(
      'postgres-schema',
      `PostgreSQL schema "${names.schema}" is at version ${version}, and this @railyard/adapter-postgres needs version ${SCHEMA_VERSION}. Run migrate({ pool, schema: '${names.schema}' }) once (at deploy time or at start-up; it is safe to run concurrently), then open the store again.`,
    );
  }
}

function newerSchema(names: SchemaNames, version: number): CapabilityError {
  return new CapabilityError(
    'postgres-schema',
    `PostgreSQL schema "${names.schema}" is at version ${version}, newer than this @railyard/adapter-postgres knows (${SCHEMA_VERSION}). Upgrade @railyard/adapter-postgres in this process to the version that migrated the schema.`,
  );
}
