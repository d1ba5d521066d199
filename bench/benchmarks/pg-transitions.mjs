// pg-transitions: deployment transitions per second through the engine on PostgreSQL
// (postgresStateStore, 1 and 2 worker engines), against the same work issued by hand with `pg` in
// its fastest form: one statement (a CTE) that does the compare-and-swap update of a record and the
// journal insert together, autocommit, one round trip, on as many connections as there are workers.
// Also reports the adapter alone (store.commit of one write + one journal entry on one caller), and
// what serialising journal appends costs by hand (the same CTE also bumping one head row).
// Interleaved rounds in one process, a fresh schema per sample. Needs PostgreSQL:
// RAILYARD_TEST_PG_URL, else postgres://postgres@127.0.0.1:5432/test.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
import { createRailyard, fileBlobStore } from '@railyard/core';
import pg from 'pg';
import { median, note, QUICK, round, sample, settleHeap, spread } from '../lib.mjs';

const URL = process.env.RAILYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = QUICK ? 2 : 5;
/** Environments per worker, deployments per environment (engine samples); ops per raw sample. */
const ENVS_PER_WORKER = 4;
const DEPLOYMENTS = QUICK ? 3 : 12;
const RAW_OPS = QUICK ? 200 : 3_000;
const by = { id: 'dev', roles: [] };

const root = mkdtempSync(join(tmpdir(), 'railyard-bench-pg-'));
const schemas = new Set();
const admin = new pg.Pool({ connectionString: URL, max: 2 });
admin.on('error', () => undefined);
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

async function freshSchema(label) {
  const schema = `bench_${label}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  schemas.add(schema);
  return schema;
}
async function dropSchema(schema) {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  schemas.delete(schema);
}
function pool(max) {
  const p = new pg.Pool({ connectionString: URL, max });
  p.on('error', () => undefined);
  return p;
}

/**
 * One engine sample: `workers` engines (each with its own pool and store, in this process) run
 * their background loop, claiming environments. Each environment gets D promotions one after the
 * other (the next is requested when the previous is active, so queues stay short, as in real use),
 * all environments at once. Each deployment makes 7 transitions, retiring the one before it.
 */
async function engineSample(workers) {
  const schema = await freshSchema('engine');
  const blobs = fileBlobStore({ dir: join(root, schema) });
  const pools = Array.from({ length: workers }, () => pool(10));
  const engines = [];
  try {
    await migrate({ pool: pools[0], schema });
    for (const p of pools)
      engines.push(createRailyard({ store: await postgresStateStore({ pool: p, schema }), blobs, idleMs: 50 }));
    const [first] = engines;
    const environments = Array.from({ length: ENVS_PER_WORKER * workers }, (_, i) => `env-${i}`);
    for (const id of environments) await first.environments.define({ id });
    const bundle = (
      await first.bundles.create({
        project: 'bench',
        version: '1.0.0',
        entries: [{ path: 'a', content: 'x' }],
        createdBy: by,
      })
    ).id;
    // Untimed: one deployment per environment, so that the timed ones each also retire one.
    await Promise.all(environments.map((to) => first.deployments.promote({ bundle, to, by })));
    await first.settle();
    const before = await first.journal.head();
    const waiting = new Map();
    for (const engine of engines) {
      engine.events.on('deployment.transition', ({ deployment, to }) => {
        if (to === 'active') waiting.get(deployment.id)?.();
      });
    }
    const total = environments.length * DEPLOYMENTS;
    for (const engine of engines) engine.start();
    await settleHeap();
    const result = await sample(async () => {
      await Promise.all(
        environments.map(async (to, e) => {
          for (let i = 0; i < DEPLOYMENTS; i++) {
            const active = new Promise((resolve) => waiting.set(`${to}/${String(i + 2).padStart(6, '0')}`, resolve));
            await engines[(e + i) % workers].promote({ bundle, to, by });
            await active;
          }
        }),
      );
      return total;
    });
    await Promise.all(engines.map((engine) => engine.stop()));
    let transitions = 0;
    for await (const entry of first.journal.read({ after: before.seq }))
      if (entry.type === 'deployment.transition') transitions++;
    return { ...result, ops: transitions, rate: transitions / (result.ms / 1000), perDeployment: transitions / total };
  } finally {
    await Promise.all(engines.map((engine) => engine.close()));
    await Promise.all(pools.map((p) => p.end()));
    await dropSchema(schema);
  }
}

const value = (i) => ({ environment: 'env-0', status: i % 2 ? 'preflight' : 'transferring', note: 'x'.repeat(1200) });
const entry = (i) => ({
  at: new Date().toISOString(),
  actor: { id: 'railyard', roles: ['system'] },
  type: 'deployment.transition',
  subject: { kind: 'deployment', id: 'env-0/000001' },
  environment: 'env-0',
  deploymentId: 'env-0/000001',
  data: { from: 'preflight', to: 'activating', i },
});

/**
 * By hand: CAS update + journal insert in one CTE statement, one connection per worker, each on its
 * own record. `chained` also bumps a one-row journal head in the same statement, as a hash chain
 * must: that row lock serialises the commits (the cost of one linear journal, measured).
 */
async function rawSample(connections, chained = false) {
  const schema = await freshSchema('raw');
  const p = pool(connections);
  try {
    await p.query(`CREATE SCHEMA "${schema}";
      CREATE TABLE "${schema}".records (kind text, id text, version bigint NOT NULL, value jsonb NOT NULL, PRIMARY KEY (kind, id));
      CREATE TABLE "${schema}".journal (seq bigserial PRIMARY KEY, environment text, deployment_id text, entry jsonb NOT NULL);
      CREATE TABLE "${schema}".head (seq bigint NOT NULL); INSERT INTO "${schema}".head VALUES (0)`);
    const cas = `cas AS (UPDATE "${schema}".records SET version = version + 1, value = $3 WHERE kind = 'deployment' AND id = $1 AND version = $2 RETURNING id)`;
    const text = chained
      ? `WITH ${cas}, head AS (UPDATE "${schema}".head SET seq = seq + 1 WHERE EXISTS (SELECT 1 FROM cas) RETURNING seq)
         INSERT INTO "${schema}".journal (seq, environment, deployment_id, entry) SELECT head.seq, 'env-0', id, $4 FROM cas, head`
      : `WITH ${cas} INSERT INTO "${schema}".journal (environment, deployment_id, entry) SELECT 'env-0', id, $4 FROM cas`;
    const clients = await Promise.all(Array.from({ length: connections }, () => p.connect()));
    await Promise.all(
      clients.map((c, w) =>
        c
          .query(`INSERT INTO "${schema}".records VALUES ('deployment', $1, 0, '{}')`, [`d${w}`])
          .then(() =>
            c.query({ name: 'cas', text, values: [`d${w}`, 0, JSON.stringify(value(0)), JSON.stringify(entry(0))] }),
          ),
      ),
    );
    await settleHeap();
    const result = await sample(async () => {
      await Promise.all(
        clients.map(async (c, w) => {
          for (let i = 1; i <= RAW_OPS / connections; i++) {
            const r = await c.query({
              name: 'cas',
              text,
              values: [`d${w}`, i, JSON.stringify(value(i)), JSON.stringify(entry(i))],
            });
            if (r.rowCount !== 1) throw new Error('pg-transitions: raw CAS missed');
          }
        }),
      );
      return RAW_OPS;
    });
    for (const c of clients) c.release();
    return result;
  } finally {
    await p.end();
    await dropSchema(schema);
  }
}

/** The adapter alone: store.commit of one CAS write + one journal entry, back to back, one caller. */
async function storeSample() {
  const schema = await freshSchema('store');
  const p = pool(2);
  try {
    await migrate({ pool: p, schema });
    const store = await postgresStateStore({ pool: p, schema });
    let version = (
      await store.commit({
        writes: [{ kind: 'deployment', id: 'd', expectedVersion: null, value: value(0) }],
        journal: [],
      })
    ).versions[0];
    await settleHeap();
    const result = await sample(async () => {
      for (let i = 1; i <= RAW_OPS; i++) {
        const write = { kind: 'deployment', id: 'd', expectedVersion: version, value: value(i) };
        version = (await store.commit({ writes: [write], journal: [entry(i)] })).versions[0];
      }
      return RAW_OPS;
    });
    await store.close();
    return result;
  } finally {
    await p.end();
    await dropSchema(schema);
  }
}

export async function run() {
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    throw new Error(`pg-transitions needs PostgreSQL at ${URL} (set RAILYARD_TEST_PG_URL): ${error.message}`);
  }
  note(
    `pg-transitions: ${ROUNDS} rotated rounds (+1 warm-up); engine sample = ${ENVS_PER_WORKER} environments per worker × ${DEPLOYMENTS} deployments in a row each (promote, wait until active; background workers with claims, pool of 10 per worker); raw/store sample = ${RAW_OPS} ops`,
  );
  const contenders = {
    engine1: () => engineSample(1),
    engine2: () => engineSample(2),
    raw1: () => rawSample(1),
    raw2: () => rawSample(2),
    chained2: () => rawSample(2, true),
    store1: () => storeSample(),
  };
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  try {
    for (const name of names) await contenders[name]();
    for (let r = 0; r < ROUNDS; r++) {
      for (let j = 0; j < names.length; j++) {
        const name = names[(j + r) % names.length];
        samples[name].push(await contenders[name]());
      }
    }
  } finally {
    for (const schema of [...schemas]) await dropSchema(schema).catch(() => undefined);
    await admin.end();
  }
  const rates = (name) => samples[name].map((s) => s.rate);
  const ratios = (a, b) => samples[a].map((s, i) => s.rate / samples[b][i].rate);
  for (const name of names)
    note(`${name}: ${spread(rates(name), name.startsWith('engine') ? 'transitions/s' : 'ops/s')}`);
  const perDeployment = samples.engine1[0].perDeployment;
  note(
    `per transition: engine 1 worker ${round(1e6 / median(rates('engine1')))} µs, 2 workers ${round(1e6 / median(rates('engine2')))} µs; raw CTE ${round(1e6 / median(rates('raw1')))} µs; store.commit ${round(1e6 / median(rates('store1')))} µs (${round(perDeployment)} transitions per deployment)`,
  );
  note(
    `scaling: engine 2 workers / 1 worker ${round(median(rates('engine2')) / median(rates('engine1')))}; raw 2 connections / 1 ${round(median(rates('raw2')) / median(rates('raw1')))}`,
  );
  return [
    {
      name: 'pg-transitions-1-worker',
      value: median(rates('engine1')),
      unit: 'transitions/s',
      baseline: 'raw-cte-1-connection',
      ratio: median(ratios('engine1', 'raw1')),
    },
    {
      name: 'pg-transitions-2-workers',
      value: median(rates('engine2')),
      unit: 'transitions/s',
      baseline: 'raw-cte-2-connections',
      ratio: median(ratios('engine2', 'raw2')),
    },
    {
      name: 'pg-journal-head-2-connections',
      value: median(rates('chained2')),
      unit: 'ops/s',
      baseline: 'raw-cte-2-connections',
      ratio: median(ratios('chained2', 'raw2')),
    },
    {
      name: 'pg-store-commit',
      value: median(rates('store1')),
      unit: 'commits/s',
      baseline: 'raw-cte-1-connection',
      ratio: median(ratios('store1', 'raw1')),
    },
  ];
}
