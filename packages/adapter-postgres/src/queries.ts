import type { JournalEntry, JournalQuery, ListQuery, Page, Versioned } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { toStoreError } from './errors.js';
import type { PgPool } from './pool.js';
import type { SchemaNames } from './schema-name.js';

const MAX_PAGE = 1000;
const JOURNAL_BATCH = 500;

/**
 * A journal query with what PostgreSQL can also answer from its indexes: a time range. The range
 * applies to the journal's time, which is each entry's `at` unless an earlier entry's is later
 * (writers' clocks may disagree a little): the journal's time never goes back, so a range of time
 * is a range of `seq`, found in the index in two steps however long the journal is.
 *
 * @example
 * ```ts
 * for await (const entry of store.readJournal({ environment: 'production', since: '2026-03-01T00:00:00Z' })) console.log(entry.type);
 * ```
 */
export interface PostgresJournalQuery extends JournalQuery {
  /** Only entries at or after this time (ISO 8601). */
  since?: string;
  /** Only entries before this time (ISO 8601). */
  until?: string;
}

/** @internal */
export async function getRecord(pool: PgPool, names: SchemaNames, kind: string, id: string): Promise<Versioned | null> {
  try {
    const { rows } = await pool.query({
      name: `${names.statement}get`,
      text: `SELECT version, value FROM ${names.records} WHERE kind = $1 AND id = $2`,
      values: [kind, id],
    });
    const row = rows[0];
    return row ? { id, version: Number(row.version), value: row.value } : null;
  } catch (error) {
    throw toStoreError(error, `get(${kind})`);
  }
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order
 * (the byte order of UTF-8 that the `"C"` collation of the id column uses); `undefined` when none.
 * @internal
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    let next = (points.pop() as string).codePointAt(0)! + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** @internal */
export async function listRecords(
  pool: PgPool,
  names: SchemaNames,
  kind: string,
  query: ListQuery = {},
): Promise<Page<Versioned>> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), MAX_PAGE);
  const conditions = ['kind = $1'];
  const values: unknown[] = [kind];
  let shape = '';
  const add = (sql: string, value: unknown) => {
    values.push(value);
    conditions.push(`${sql} $${values.length}`);
    shape += sql.slice(3);
  };
  if (query.after !== undefined) add('id >', query.after);
  if (query.prefix) {
    add('id >=', query.prefix);
    const end = prefixEnd(query.prefix);
    if (end !== undefined) add('id <', end);
  }
  values.push(limit + 1);
  try {
    const { rows } = await pool.query({
      name: `${names.statement}list:${shape}`,
      text: `SELECT id, version, value FROM ${names.records} WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${values.length}`,
      values,
    });
    const items = rows
      .slice(0, limit)
      .map((row) => ({ id: row.id as string, version: Number(row.version), value: row.value }));
    return rows.length > limit ? { items, next: items[limit - 1]?.id as string } : { items };
  } catch (error) {
    throw toStoreError(error, `list(${kind})`);
  }
}

/** @internal */
export async function* readJournalRows(
  pool: PgPool,
  names: SchemaNames,
  query: PostgresJournalQuery = {},
): AsyncGenerator<JournalEntry> {
  // Each filter is SQL with one "$?" for its value. A time bound becomes a seq bound: the last
  // entry before `since` and the first at or after `until`, each one step down the time index.
  const j = names.journal;
  const filters: [string, unknown][] = [];
  if (query.environment !== undefined) filters.push(['environment = $?', query.environment]);
  if (query.deploymentId !== undefined) filters.push(['deployment_id = $?', query.deploymentId]);
  if (query.actorId !== undefined) filters.push(['actor_id = $?', query.actorId]);
  if (query.since !== undefined) {
    const since = `(SELECT seq FROM ${j} WHERE time < $? ORDER BY time DESC, seq DESC LIMIT 1)`;
    filters.push([`seq > coalesce(${since}, 0)`, time(query.since, 'since')]);
  }
  if (query.until !== undefined) {
    const until = `(SELECT seq FROM ${j} WHERE time >= $? ORDER BY time, seq LIMIT 1)`;
    filters.push([`seq < coalesce(${until}, 9223372036854775807)`, time(query.until, 'until')]);
  }
  const conditions = ['seq > $1', ...filters.map(([sql], i) => sql.replace('$?', `$${i + 2}`))];
  // Planned with its values each time (not a prepared statement), so each filter gets its index.
  const text = `SELECT entry, hash FROM ${j} WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT $${filters.length + 2}`;
  let after = Math.max(query.after ?? 0, 0);
  let left = query.limit ?? Number.POSITIVE_INFINITY;
  while (left > 0) {
    const batch = Math.min(JOURNAL_BATCH, left);
    let rows: Record<string, unknown>[];
    try {
      ({ rows } = await pool.query({ text, values: [after, ...filters.map(([, value]) => value), batch] }));
    } catch (error) {
      throw toStoreError(error, 'readJournal');
    }
    for (const row of rows) {
      const entry = row.entry as JournalEntry;
      entry.hash = row.hash as string;
      after = entry.seq;
      yield entry;
    }
    if (rows.length < batch) return;
    left -= rows.length;
  }
}

function time(value: string, field: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw new ValidationError(`readJournal: "${field}" must be an ISO 8601 time such as "2026-03-01T00:00:00Z".`);
  return value;
}
