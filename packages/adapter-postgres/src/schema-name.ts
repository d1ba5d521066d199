import { ValidationError } from '@railyard/core/errors';

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = 'railyard';

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The names the store uses inside one schema: tables, the commit function, the notification
 * channel, the prepared-statement prefix. The schema name is checked here, once, so that it can be
 * interpolated into SQL safely.
 * @internal
 */
export interface SchemaNames {
  schema: string;
  /** `"schema"`, quoted for SQL. */
  q: string;
  records: string;
  journal: string;
  head: string;
  migrations: string;
  leases: string;
  nonces: string;
  commit: string;
  claim: string;
  channel: string;
  /** Prefix of prepared-statement names (unique per schema, as statements are per connection). */
  statement: string;
}

/** @internal */
export function schemaNames(schema: string = DEFAULT_SCHEMA): SchemaNames {
  if (typeof schema !== 'string' || !NAME.test(schema)) {
    throw new ValidationError(
      `PostgreSQL schema name ${JSON.stringify(schema)} is not allowed: use 1 to 63 lower-case letters, digits and underscores, starting with a letter or underscore (for example "railyard").`,
      { details: { schema } },
    );
  }
  const q = `"${schema}"`;
  return {
    schema,
    q,
    records: `${q}.records`,
    journal: `${q}.journal`,
    head: `${q}.journal_head`,
    migrations: `${q}.migrations`,
    leases: `${q}.leases`,
    nonces: `${q}.nonces`,
    commit: `${q}.commit`,
    claim: `${q}.claim`,
    channel: `railyard_${schema}`,
    statement: `railyard:${schema}:`,
  };
}
