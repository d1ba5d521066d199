/**
 * Railyard's StateStore on PostgreSQL (node-postgres): compare-and-swap records, a hash-chained
 * journal, database-enforced deployment invariants, LISTEN/NOTIFY, versioned migrations.
 * @packageDocumentation
 */
export type { ClaimRequest } from './claim.js';
export { DeploymentInvariantError } from './errors.js';
export { type MigrateOptions, type MigrateResult, migrate } from './migrate.js';
export type { PgNotification, PgPool, PgPoolClient, PgQuery, PgResult } from './pool.js';
export type { PostgresJournalQuery } from './queries.js';
export { type PostgresStateStore, type PostgresStateStoreOptions, postgresStateStore } from './store.js';
