import type { NonceClaim } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { toStoreError } from './errors.js';
import type { PgPool } from './pool.js';
import type { SchemaNames } from './schema-name.js';

/**
 * Migration 3: nonces used by signed requests, kept until they expire so that every process on the
 * database refuses a replay, before and after a restart.
 * @internal
 */
export const nonceMigration = (n: SchemaNames) => `
CREATE TABLE ${n.nonces} (
  scope text COLLATE "C" NOT NULL,
  nonce text COLLATE "C" NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, nonce)
);
CREATE INDEX nonces_expiry ON ${n.nonces} (expires_at);
`;

/** How often (in calls, per store) expired nonces are deleted. */
const PRUNE_EVERY = 256;

/**
 * `rememberNonce` in one statement: insert, or take over an expired row; no row back is a replay.
 * The primary key makes racing inserts of one nonce serialise, so exactly one wins. Every
 * {@link PRUNE_EVERY} calls the statement also deletes up to 1,000 expired rows.
 * @internal
 */
export function nonceRememberer(pool: PgPool, names: SchemaNames): (claim: NonceClaim) => Promise<boolean> {
  let calls = 0;
  return async (claim) => {
    const { scope, nonce, expiresAt, now } = claim ?? {};
    if (
      typeof scope !== 'string' ||
      scope.length === 0 ||
      scope.length > 300 ||
      typeof nonce !== 'string' ||
      nonce.length === 0 ||
      nonce.length > 200 ||
      !(expiresAt instanceof Date) ||
      !(now instanceof Date) ||
      !Number.isFinite(expiresAt.getTime()) ||
      !Number.isFinite(now.getTime())
    )
      throw new ValidationError(
        'rememberNonce: needs { scope: 1–300 characters, nonce: 1–200 characters, expiresAt: a Date, now: a Date }.',
      );
    try {
      if (++calls % PRUNE_EVERY === 0) {
        await pool.query({
          text: `DELETE FROM ${names.nonces} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${names.nonces} WHERE expires_at <= $1 LIMIT 1000))`,
          values: [now.toISOString()],
        });
      }
      const { rowCount } = await pool.query({
        name: `${names.statement}nonce`,
        text: `INSERT INTO ${names.nonces} AS n (scope, nonce, expires_at) VALUES ($1, $2, $3)
          ON CONFLICT (scope, nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE n.expires_at <= $4`,
        values: [scope, nonce, expiresAt.toISOString(), now.toISOString()],
      });
      return rowCount === 1;
    } catch (error) {
      throw toStoreError(error, 'rememberNonce');
    }
  };
}
