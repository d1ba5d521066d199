/**
 * What a query returns: the rows and how many rows the statement touched.
 *
 * @example
 * ```ts
 * const { rows }: PgResult = await pool.query({ text: 'SELECT 1 AS one' });
 * ```
 */
export interface PgResult {
  /** The rows returned, one object per row. */
  rows: Record<string, unknown>[];
  /** How many rows the statement affected or returned (`null` for some commands). */
  rowCount: number | null;
}

/**
 * A query as node-postgres takes it; `name` makes it a prepared statement on each connection.
 *
 * @example
 * ```ts
 * const query: PgQuery = { name: 'get', text: 'SELECT value FROM railyard.records WHERE kind = $1 AND id = $2', values: ['environment', 'production'] };
 * ```
 */
export interface PgQuery {
  /** The SQL, with `$1`, `$2`… placeholders. */
  text: string;
  /** The placeholder values. */
  values?: unknown[];
  /** A name under which the server prepares the statement once per connection. */
  name?: string;
}

/**
 * A notification delivered to a connection that ran `LISTEN`.
 *
 * @example
 * ```ts
 * client.on('notification', (message: PgNotification) => console.log(message.channel, message.payload));
 * ```
 */
export interface PgNotification {
  /** The LISTEN channel. */
  channel: string;
  /** The NOTIFY payload. */
  payload?: string | undefined;
}

/**
 * A connection checked out of the pool: the subset of node-postgres's `PoolClient` the store uses
 * (for `LISTEN` and for `migrate`'s transaction).
 *
 * @example
 * ```ts
 * const client: PgPoolClient = await pool.connect();
 * try {
 *   await client.query({ text: 'SELECT 1' });
 * } finally {
 *   client.release();
 * }
 * ```
 */
export interface PgPoolClient {
  /** Runs one statement on this connection. */
  query(query: PgQuery): Promise<PgResult>;
  /** Returns the connection to the pool; pass an error (or `true`) to destroy it instead. */
  release(destroy?: Error | boolean): void;
  /** Called for each NOTIFY on a channel this connection LISTENs to. */
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  /** Called when the connection fails. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Called when the connection ends. */
  on(event: 'end', listener: () => void): unknown;
  /** Removes the listeners of an event (of every event without one). */
  removeAllListeners(event?: string): unknown;
}

/**
 * The pool the store runs on: the subset of node-postgres's `Pool` it needs, so that a
 * `new pg.Pool(...)` fits as it is and `pg` stays a peer dependency.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool: PgPool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PgPool {
  /** Runs one statement on any connection of the pool. */
  query(query: PgQuery): Promise<PgResult>;
  /** Checks a connection out of the pool; release it when done. */
  connect(): Promise<PgPoolClient>;
}
