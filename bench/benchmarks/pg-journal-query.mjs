// pg-journal-query: latency (p50/p99) of journal queries through postgresStateStore.readJournal at
// 1,000,000 entries (50 environments, 20 actors, 7 entries per deployment, one entry a second),
// against the same query as a raw indexed SELECT with `pg`, interleaved, on the same data. Each
// query reads one page of 100 entries (or fewer when fewer match). The entries are written by
// INSERT … SELECT generate_series (their hashes are not a real chain: this measures reads only).
import { randomUUID } from 'node:crypto';
import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
import pg from 'pg';
import { note, QUICK, round } from '../lib.mjs';

const URL = process.env.RAILYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENTRIES = QUICK ? 20_000 : 1_000_000;
const SAMPLES = QUICK ? 40 : 400;
const PAGE = 100;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function fill(pool, schema) {
  const journal = `"${schema}".journal`;
  // Build the secondary indexes after the rows (much faster), with the definitions migrate created.
  const { rows: indexes } = await pool.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'journal' AND indexname <> 'journal_pkey'`,
    [schema],
  );
  for (const { indexname } of indexes) await pool.query(`DROP INDEX "${schema}"."${indexname}"`);
  await pool.query(
    `INSERT INTO ${journal} (seq, time, type, actor_id, environment, deployment_id, prev_hash, hash, entry)
     SELECT g, at, 'deployment.transition', actor, env, dep, repeat('0', 64), repeat('1', 64),
       jsonb_build_object('at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'actor', jsonb_build_object('id', actor, 'roles', '[]'::jsonb), 'type', 'deployment.transition',
         'subject', jsonb_build_object('kind', 'deployment', 'id', dep), 'environment', env, 'deploymentId', dep,
         'data', jsonb_build_object('from', 'preflight', 'to', 'activating'), 'seq', g, 'prevHash', repeat('0', 64))
     FROM (SELECT g, timestamptz '2026-01-01' + g * interval '1 second' AS at, 'actor-' || (g % 20) AS actor,
             'env-' || (g % 50) AS env, 'env-' || (g % 50) || '/' || lpad((g / 350)::text, 6, '0') AS dep
           FROM generate_series(1, $1::int) g) s`,
    [ENTRIES],
  );
  for (const { indexdef } of indexes) await pool.query(indexdef);
  await pool.query(`ANALYZE ${journal}`);
}

/** The queries, each as a store query and as the raw SELECT it should cost. `i` varies the arguments. */
const at = (second) => new Date(Date.UTC(2026, 0, 1) + second * 1000).toISOString();
const queries = {
  tail: (i) => ({ store: { after: ENTRIES - 50 - (i % 50) }, where: 'seq > $1', values: [ENTRIES - 50 - (i % 50)] }),
  environment: (i) => ({
    store: { environment: `env-${i % 50}`, after: (i * 7919) % ENTRIES },
    where: 'seq > $1 AND environment = $2',
    values: [(i * 7919) % ENTRIES, `env-${i % 50}`],
  }),
  deployment: (i) => {
    const dep = `env-${(i * 350) % 50}/${String(Math.floor(((i * 104_729) % ENTRIES) / 350)).padStart(6, '0')}`;
    return { store: { deploymentId: dep }, where: 'seq > $1 AND deployment_id = $2', values: [0, dep] };
  },
  actor: (i) => ({
    store: { actorId: `actor-${i % 20}`, after: (i * 7919) % ENTRIES },
    where: 'seq > $1 AND actor_id = $2',
    values: [(i * 7919) % ENTRIES, `actor-${i % 20}`],
  }),
  time: (i) => {
    const from = (i * 7919) % (ENTRIES - 3600);
    // By hand, the index on (time, seq) gives seq order directly (the journal's time never goes back).
    return {
      store: { since: at(from), until: at(from + 3600) },
      where: 'seq > $1 AND time >= $2 AND time < $3',
      order: 'time, seq',
      values: [0, at(from), at(from + 3600)],
    };
  },
};

export async function run() {
  const pool = new pg.Pool({ connectionString: URL, max: 2 });
  pool.on('error', () => undefined);
  const schema = `bench_journal_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  try {
    await pool.query('SELECT 1').catch((error) => {
      throw new Error(`pg-journal-query needs PostgreSQL at ${URL} (set RAILYARD_TEST_PG_URL): ${error.message}`);
    });
    await migrate({ pool, schema });
    const t0 = performance.now();
    await fill(pool, schema);
    note(
      `pg-journal-query: ${ENTRIES} entries written in ${round((performance.now() - t0) / 1000)} s; ${SAMPLES} samples per query, store and raw interleaved, pages of ${PAGE}`,
    );
    const store = await postgresStateStore({ pool, schema });
    const measurements = [];
    for (const [name, make] of Object.entries(queries)) {
      const storeMs = [];
      const rawMs = [];
      let rows = 0;
      for (let i = -5; i < SAMPLES; i++) {
        const q = make(i + 5);
        const raw = async () => {
          const t = performance.now();
          // Planned with its values, as the store's queries are (a generic plan can pick a full scan).
          const result = await pool.query({
            text: `SELECT entry, hash FROM "${schema}".journal WHERE ${q.where} ORDER BY ${q.order ?? 'seq'} LIMIT ${PAGE}`,
            values: q.values,
          });
          if (i >= 0) rawMs.push(performance.now() - t);
          return result.rows.length;
        };
        const viaStore = async () => {
          const t = performance.now();
          let n = 0;
          for await (const _ of store.readJournal({ ...q.store, limit: PAGE })) n++;
          if (i >= 0) storeMs.push(performance.now() - t);
          return n;
        };
        const [a, b] = i % 2 ? [await raw(), await viaStore()] : [await viaStore(), await raw()];
        if (a !== b) throw new Error(`pg-journal-query ${name}: store read ${b} entries, raw ${a}`);
        rows += a;
      }
      const p50 = percentile(storeMs, 50);
      const raw50 = percentile(rawMs, 50);
      note(
        `${name}: store p50 ${round(p50)} ms p99 ${round(percentile(storeMs, 99))} ms; raw p50 ${round(raw50)} ms p99 ${round(percentile(rawMs, 99))} ms; ${round(rows / (SAMPLES + 5))} entries per page`,
      );
      measurements.push({
        name: `pg-journal-query-${name}-p50`,
        value: p50,
        unit: 'ms',
        baseline: 'raw-indexed-select',
        ratio: raw50 / p50,
      });
    }
    await store.close();
    return measurements;
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}
