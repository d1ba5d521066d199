import type { StateStore } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { toStoreError } from './errors.js';
import type { PgPool } from './pool.js';
import type { SchemaNames } from './schema-name.js';

/**
 * What a worker asks `claim` for (the core's `ClaimRequest`).
 *
 * @example
 * ```ts
 * const mine = await store.claim({ kind: 'environment', owner: workerId, leaseMs: 15_000, limit: 100 });
 * ```
 */
export type ClaimRequest = Parameters<NonNullable<StateStore['claim']>>[0];

/**
 * Migration 2: leases on records, and the workers that hold them. `claim` (one statement) renews
 * the owner's leases, hands back those above its fair share (records ÷ live workers), and takes
 * free or expired ones with `FOR UPDATE SKIP LOCKED`, so claimers never wait on each other.
 * @internal
 */
export const claimMigration = (n: SchemaNames) => `
CREATE TABLE ${n.leases} (
  kind text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  owner text,
  until timestamptz NOT NULL DEFAULT '-infinity',
  PRIMARY KEY (kind, id)
);
CREATE INDEX leases_owner ON ${n.leases} (owner, kind) WHERE owner IS NOT NULL;
CREATE TABLE ${n.q}.workers (owner text PRIMARY KEY, until timestamptz NOT NULL);

CREATE FUNCTION ${n.claim}(p_kind text, p_owner text, p_lease_ms double precision, p_limit int) RETURNS text[]
LANGUAGE plpgsql AS $fn$
DECLARE
  lease_until timestamptz := now() + p_lease_ms * interval '1 millisecond';
  share int;
  held int;
BEGIN
  IF p_limit <= 0 THEN
    UPDATE ${n.leases} SET owner = NULL, until = '-infinity' WHERE kind = p_kind AND owner = p_owner;
    DELETE FROM ${n.q}.workers WHERE owner = p_owner;
    RETURN '{}';
  END IF;
  INSERT INTO ${n.q}.workers (owner, until) VALUES (p_owner, lease_until)
    ON CONFLICT (owner) DO UPDATE SET until = excluded.until;
  DELETE FROM ${n.q}.workers WHERE until <= now();
  INSERT INTO ${n.leases} (kind, id)
    SELECT r.kind, r.id FROM ${n.records} r
    WHERE r.kind = p_kind AND NOT EXISTS (SELECT 1 FROM ${n.leases} l WHERE l.kind = r.kind AND l.id = r.id)
    ON CONFLICT DO NOTHING;
  SELECT least(p_limit, ceil(count(*)::numeric / greatest((SELECT count(*) FROM ${n.q}.workers), 1)))
    INTO share FROM ${n.leases} WHERE kind = p_kind;
  UPDATE ${n.leases} SET owner = NULL, until = '-infinity'
    WHERE kind = p_kind AND owner = p_owner AND id IN (
      SELECT id FROM ${n.leases} WHERE kind = p_kind AND owner = p_owner AND until > now() ORDER BY id OFFSET share);
  UPDATE ${n.leases} SET until = lease_until WHERE kind = p_kind AND owner = p_owner AND until > now();
  GET DIAGNOSTICS held = ROW_COUNT;
  UPDATE ${n.leases} l SET owner = p_owner, until = lease_until
    FROM (SELECT id FROM ${n.leases} WHERE kind = p_kind AND until <= now()
          ORDER BY until, id LIMIT greatest(share - held, 0) FOR UPDATE SKIP LOCKED) free
    WHERE l.kind = p_kind AND l.id = free.id;
  RETURN ARRAY(SELECT id FROM ${n.leases} WHERE kind = p_kind AND owner = p_owner AND until > now() ORDER BY id);
END
$fn$;
`;

/** @internal */
export async function claimLeases(pool: PgPool, names: SchemaNames, request: ClaimRequest): Promise<string[]> {
  const { kind, owner, leaseMs, limit } = request;
  if (!(leaseMs > 0) || !Number.isInteger(limit) || limit < 0 || typeof owner !== 'string' || owner === '')
    throw new ValidationError('claim: needs { kind, owner: a non-empty id, leaseMs > 0, limit: an integer ≥ 0 }.');
  try {
    const { rows } = await pool.query({
      name: `${names.statement}claim`,
      text: `SELECT ${names.claim}($1, $2, $3, $4) AS ids`,
      values: [kind, owner, leaseMs, Math.min(limit, 2 ** 31 - 1)],
    });
    return (rows[0]?.ids as string[] | undefined) ?? [];
  } catch (error) {
    throw toStoreError(error, `claim(${kind})`);
  }
}
