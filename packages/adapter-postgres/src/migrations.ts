import { GENESIS_HASH } from '@railyard/core/adapters';
import { claimMigration } from './claim.js';
import { nonceMigration } from './nonces.js';
import type { SchemaNames } from './schema-name.js';

/** One schema change. Versions are applied in order, each once, in one transaction. @internal */
export interface Migration {
  version: number;
  name: string;
  sql(names: SchemaNames): string;
}

/**
 * The deployment statuses the in-flight index of migration 1 covers, frozen as that migration was
 * applied: a migration's SQL never changes once released. The statuses that hold the slot are
 * core's `IN_FLIGHT_DEPLOYMENT_STATUSES`; if that list changes, add a migration that recreates the
 * index from it (test/in-flight.test.ts compares them).
 * @internal
 */
export const IN_FLIGHT_AT_MIGRATION_1 = ['transferring', 'preflight', 'activating', 'verifying'] as const;
const IN_FLIGHT = IN_FLIGHT_AT_MIGRATION_1.map((status) => `'${status}'`).join(', ');

/** Index names the store recognises in constraint errors. @internal */
export const INVARIANT_INDEXES = {
  records_one_active_deployment: 'active',
  records_one_in_flight_deployment: 'in flight',
} as const;

const tables = (n: SchemaNames) => `
CREATE TABLE ${n.records} (
  kind text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  version bigint NOT NULL CHECK (version > 0),
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, id)
);
-- The engine's invariants, enforced by the database whatever the application does.
CREATE UNIQUE INDEX records_one_active_deployment ON ${n.records} ((value ->> 'environment'))
  WHERE kind = 'deployment' AND value ->> 'status' = 'active';
CREATE UNIQUE INDEX records_one_in_flight_deployment ON ${n.records} ((value ->> 'environment'))
  WHERE kind = 'deployment' AND value ->> 'status' IN (${IN_FLIGHT});

-- "time" is the entry's "at", or the previous entry's time when that is later: a clock that never
-- goes back along seq, so that a time range is a seq range (writers' clocks may disagree a little).
CREATE TABLE ${n.journal} (
  seq bigint PRIMARY KEY,
  time timestamptz NOT NULL,
  type text NOT NULL,
  actor_id text NOT NULL,
  environment text,
  deployment_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  entry jsonb NOT NULL
);
CREATE INDEX journal_environment ON ${n.journal} (environment, seq) WHERE environment IS NOT NULL;
CREATE INDEX journal_deployment ON ${n.journal} (deployment_id, seq) WHERE deployment_id IS NOT NULL;
CREATE INDEX journal_actor ON ${n.journal} (actor_id, seq);
CREATE INDEX journal_time ON ${n.journal} (time, seq);

CREATE FUNCTION ${n.q}.journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'railyard: the journal is append-only (% refused)', TG_OP USING ERRCODE = 'RY003';
END
$fn$;
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${n.journal}
  FOR EACH STATEMENT EXECUTE FUNCTION ${n.q}.journal_append_only();

-- The end of the chain. Appenders lock this row, so the chain stays linear under concurrency.
CREATE TABLE ${n.head} (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq bigint NOT NULL,
  hash text NOT NULL,
  time timestamptz NOT NULL
) WITH (fillfactor = 20);
INSERT INTO ${n.head} (seq, hash, time) VALUES (0, '${GENESIS_HASH}', '-infinity');
`;

/**
 * The whole commit in one statement (one round trip): compare-and-swap every write in the given
 * order, then lock the journal head, chain the entries and store them, then notify. Journal
 * entries arrive as canonical JSON cut in three around "prevHash" and "seq" (three lines each),
 * so the database computes the same sha256 the core's hashJournalEntry does.
 */
const commitFunction = (n: SchemaNames) => `
CREATE FUNCTION ${n.commit}(p_writes jsonb, p_journal text, p_origin text) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  w jsonb;
  touched int;
  actual bigint;
  versions jsonb := '[]';
  parts text[];
  body text;
  entry jsonb;
  head_seq bigint;
  head_hash text;
  head_time timestamptz;
  first_seq bigint;
  first_prev text;
  hashes jsonb := '[]';
BEGIN
  FOR w IN SELECT value FROM jsonb_array_elements(p_writes) LOOP
    IF w -> 'e' = 'null' THEN
      IF w -> 'v' = 'null' THEN
        PERFORM 1 FROM ${n.records} WHERE kind = w ->> 'k' AND id = w ->> 'i';
        touched := CASE WHEN FOUND THEN 0 ELSE 1 END;
      ELSE
        INSERT INTO ${n.records} (kind, id, version, value) VALUES (w ->> 'k', w ->> 'i', 1, w -> 'v')
          ON CONFLICT (kind, id) DO NOTHING;
        GET DIAGNOSTICS touched = ROW_COUNT;
      END IF;
    ELSIF w -> 'v' = 'null' THEN
      DELETE FROM ${n.records} WHERE kind = w ->> 'k' AND id = w ->> 'i' AND version = (w ->> 'e')::bigint;
      GET DIAGNOSTICS touched = ROW_COUNT;
    ELSE
      UPDATE ${n.records} SET version = version + 1, value = w -> 'v', updated_at = now()
        WHERE kind = w ->> 'k' AND id = w ->> 'i' AND version = (w ->> 'e')::bigint;
      GET DIAGNOSTICS touched = ROW_COUNT;
    END IF;
    IF touched = 0 THEN
      SELECT version INTO actual FROM ${n.records} WHERE kind = w ->> 'k' AND id = w ->> 'i';
      RAISE EXCEPTION 'railyard: version conflict on % "%"', w ->> 'k', w ->> 'i' USING ERRCODE = 'RY001',
        DETAIL = jsonb_build_object('kind', w ->> 'k', 'id', w ->> 'i', 'expected', w -> 'e', 'actual', actual)::text;
    END IF;
    versions := versions || to_jsonb(coalesce((w ->> 'e')::bigint, 0) + 1);
  END LOOP;
  IF p_journal <> '' THEN
    parts := string_to_array(p_journal, E'\\n');
    SELECT seq, hash, time INTO head_seq, head_hash, head_time FROM ${n.head} FOR UPDATE;
    first_seq := head_seq + 1;
    first_prev := head_hash;
    FOR i IN 0 .. array_length(parts, 1) / 3 - 1 LOOP
      head_seq := head_seq + 1;
      body := parts[3 * i + 1] || head_hash || parts[3 * i + 2] || head_seq::text || parts[3 * i + 3];
      entry := body::jsonb;
      head_time := greatest(head_time, (entry ->> 'at')::timestamptz);
      INSERT INTO ${n.journal} (seq, time, type, actor_id, environment, deployment_id, prev_hash, hash, entry)
        VALUES (head_seq, head_time, entry ->> 'type', entry #>> '{actor,id}',
          entry ->> 'environment', entry ->> 'deploymentId', head_hash,
          encode(sha256(convert_to(body, 'UTF8')), 'hex'), entry)
        RETURNING hash INTO head_hash;
      hashes := hashes || to_jsonb(head_hash);
    END LOOP;
    UPDATE ${n.head} SET seq = head_seq, hash = head_hash, time = head_time;
  END IF;
  IF p_origin IS NOT NULL THEN
    PERFORM pg_notify('${n.channel}', p_origin);
  END IF;
  RETURN jsonb_build_object('versions', versions, 'first', first_seq, 'prev', first_prev, 'hashes', hashes);
END
$fn$;
`;

/** Every migration, in order. The last version is what this adapter needs. @internal */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'records, journal, invariants, commit function', sql: (n) => tables(n) + commitFunction(n) },
  { version: 2, name: 'leases for work claiming', sql: claimMigration },
  { version: 3, name: 'nonces of signed requests', sql: nonceMigration },
];

/** The schema version this adapter needs. @internal */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
