import { randomUUID } from 'node:crypto';
import type { JournalEntry, NonceClaim, SchemaStatus, StateStore, Transaction } from '@railyard/core/adapters';
import { AdapterError } from '@railyard/core/errors';
import { type ClaimRequest, claimLeases } from './claim.js';
import { commitTransaction } from './commit.js';
import { assertSchemaVersion, readSchemaVersion } from './migrate.js';
import { SCHEMA_VERSION } from './migrations.js';
import { nonceRememberer } from './nonces.js';
import type { PgPool } from './pool.js';
import { getRecord, listRecords, type PostgresJournalQuery, readJournalRows } from './queries.js';
import { schemaNames } from './schema-name.js';
import { CommitWatcher } from './watch.js';

/**
 * Options of {@link postgresStateStore}.
 *
 * @example
 * ```ts
 * const options: PostgresStateStoreOptions = { pool, schema: 'railyard', pollMs: 5_000 };
 * ```
 */
export interface PostgresStateStoreOptions {
  /** A node-postgres `Pool` (injected: the store never ends it). */
  pool: PgPool;
  /** The schema that {@link migrate} created (default `railyard`). */
  schema?: string;
  /**
   * Whether commits send a `NOTIFY` so that other processes' `watch` hears of them at once
   * (default `true`). Without it, watchers still learn of commits by polling every `pollMs`.
   */
  notify?: boolean;
  /** How often `watch` checks its connection and the journal head (ms, default 2,000). */
  pollMs?: number;
}

/**
 * A `StateStore` on PostgreSQL that can `watch`, `claim` and `rememberNonce`; its `readJournal` also filters by time.
 *
 * @example
 * ```ts
 * const store: PostgresStateStore = await postgresStateStore({ pool });
 * for await (const entry of store.readJournal({ actorId: 'alice', since: '2026-03-01T00:00:00Z' })) console.log(entry.type);
 * ```
 */
export interface PostgresStateStore extends StateStore {
  /** What this store supports: change notifications (`watch`), leases (`claim`) and one-use nonces. */
  readonly capabilities: {
    /** Change notifications, through LISTEN/NOTIFY. */
    watch: true;
    /** Leases that one engine claims. */
    claim: true;
    /** One-use nonces for signed requests. */
    nonces: true;
  };
  readJournal(query?: PostgresJournalQuery): AsyncIterable<JournalEntry>;
  watch(listener: () => void): () => void;
  claim(request: ClaimRequest): Promise<string[]>;
  rememberNonce(claim: NonceClaim): Promise<boolean>;
  /** Whether the schema's migrations are all applied (`railyard.readiness()` reports it). */
  schemaStatus(): Promise<SchemaStatus>;
  /** The schema the store works in. */
  readonly schema: string;
}

/**
 * Opens a state store on PostgreSQL. Records live in one table with a version column (every write
 * is a compare-and-swap); a commit is one call of a server-side function (one round trip, one
 * transaction) that also appends to the hash-chained journal; the database itself refuses a
 * second active or in-flight deployment in an environment; `watch` uses LISTEN/NOTIFY. Fails with
 * `CapabilityError` when the schema is missing or older than this adapter: run {@link migrate} first.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createRailyard, fileBlobStore } from '@railyard/core';
 * import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * pool.on('error', (error) => console.error('idle PostgreSQL connection failed', error));
 * await migrate({ pool });
 * const railyard = createRailyard({ store: await postgresStateStore({ pool }), blobs: fileBlobStore({ dir: './blobs' }) });
 * ```
 */
export async function postgresStateStore(options: PostgresStateStoreOptions): Promise<PostgresStateStore> {
  const names = schemaNames(options.schema);
  const { pool } = options;
  await assertSchemaVersion(pool, names);
  const origin = randomUUID();
  const notifyOrigin = options.notify === false ? null : origin;
  const rememberNonce = nonceRememberer(pool, names);
  const watcher = new CommitWatcher(pool, names, origin, options.pollMs ?? 2_000);
  let closed = false;
  const open = () => {
    if (closed) throw new AdapterError(`PostgreSQL state store on schema "${names.schema}" is closed; open a new one.`);
  };
  return {
    schema: names.schema,
    capabilities: { watch: true, claim: true, nonces: true },
    async get(kind, id) {
      open();
      return getRecord(pool, names, kind, id);
    },
    async list(kind, query) {
      open();
      return listRecords(pool, names, kind, query);
    },
    async commit(tx: Transaction) {
      open();
      const result = await commitTransaction(pool, names, tx, notifyOrigin);
      watcher.fire();
      return result;
    },
    readJournal(query) {
      open();
      return readJournalRows(pool, names, query);
    },
    async journalHead() {
      open();
      const { rows } = await pool.query({ text: `SELECT seq, hash FROM ${names.head}` });
      return { seq: Number(rows[0]?.seq ?? 0), hash: String(rows[0]?.hash) };
    },
    watch(listener) {
      open();
      return watcher.add(listener);
    },
    async claim(request) {
      open();
      return claimLeases(pool, names, request);
    },
    async rememberNonce(claim) {
      open();
      return rememberNonce(claim);
    },
    async schemaStatus() {
      open();
      const applied = await readSchemaVersion(pool, names);
      return { current: applied === SCHEMA_VERSION, applied, expected: SCHEMA_VERSION };
    },
    async close() {
      closed = true;
      await watcher.close();
    },
  };
}
