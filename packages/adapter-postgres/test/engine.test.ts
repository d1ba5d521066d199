import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, type PostgresStateStore, postgresStateStore } from '@railyard/adapter-postgres';
import { createRailyard, fileBlobStore, type Railyard } from '@railyard/core';
import type { JournalEntry } from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Child, spawnChild } from './child-process.js';
import { checkJournalInvariants } from './invariants.js';
import { dropSchema, freshSchema, skipPg, testPool } from './pg.js';

const pool = testPool();
const dev = { id: 'dev', roles: [] };
let schema: string;
let blobDir: string;
let store: PostgresStateStore;
let children: Child[] = [];

beforeEach(async () => {
  if (skipPg) return;
  schema = freshSchema('eng');
  blobDir = await mkdtemp(join(tmpdir(), 'railyard-pg-blobs-'));
  await migrate({ pool, schema });
  store = await postgresStateStore({ pool, schema });
});
afterEach(async () => {
  for (const child of children) child.proc.kill('SIGKILL');
  children = [];
  await store?.close();
  if (schema) await dropSchema(pool, schema);
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});
afterAll(() => pool.end());

async function journal(): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const entry of store.readJournal()) entries.push(entry);
  return entries;
}

/** Waits for the worker processes to drive every deployment to rest (polls the database). */
async function untilSettled(expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT count(*) FILTER (WHERE value ->> 'status' IN ('active', 'superseded'))::int AS done FROM "${schema}".records WHERE kind = 'deployment'`,
    );
    if (rows[0]?.done === expected) return;
    if (Date.now() > deadline) {
      const { rows: statuses } = await pool.query(
        `SELECT value ->> 'status' AS status, count(*)::int AS n FROM "${schema}".records WHERE kind = 'deployment' GROUP BY 1`,
      );
      const errors = children.map((child) => child.stderr().slice(-500)).join('\n');
      throw new Error(
        `only ${rows[0]?.done} of ${expected} deployments finished: ${JSON.stringify(statuses)}\n${errors}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function createBundle(railyard: Railyard) {
  return railyard.bundles.create({
    project: 'p',
    version: '1.0.0',
    entries: [{ path: 'model.bin', content: 'weights' }],
    createdBy: dev,
  });
}

describe.skipIf(skipPg)('the engine on PostgreSQL, several processes (PostgreSQL server required)', () => {
  it('4 worker processes, 200 promotions over 20 environments: never two in flight or active, all finish', async () => {
    const railyard = createRailyard({ store, blobs: fileBlobStore({ dir: blobDir }) });
    const environments = Array.from({ length: 20 }, (_, i) => `e${String(i).padStart(2, '0')}`);
    for (const id of environments) await railyard.environments.define({ id });
    const bundle = await createBundle(railyard);
    // 180 promotions wait in the queues before the workers start; each worker requests 5 more while it runs.
    for (let i = 0; i < 180; i++)
      await railyard.promote({ bundle: bundle.id, to: environments[i % 20] as string, by: dev });
    children = [0, 1, 2, 3].map((index) => spawnChild(['race', schema, blobDir, String(index), bundle.id]));
    await Promise.all(children.map((child) => child.line((line) => line === 'requested')));
    await untilSettled(200, 45_000);
    for (const child of children) child.proc.stdin?.end('stop\n');
    expect(await Promise.all(children.map((child) => child.exited))).toEqual([0, 0, 0, 0]);

    const entries = await journal();
    const finalStatus = checkJournalInvariants(entries);
    expect(finalStatus.size).toBe(200);
    for (const id of environments) {
      const env = await railyard.environments.get(id);
      expect(env).toMatchObject({ inFlight: null, queue: [] });
      const history = await railyard.history(id);
      expect(history).toHaveLength(10);
      expect(history.filter((d) => d.status === 'active').map((d) => d.id)).toEqual([env?.active?.deploymentId]);
      expect(history.filter((d) => d.status !== 'active').every((d) => d.status === 'superseded')).toBe(true);
    }
    // Every process appended to the one journal, and its chain verifies.
    const appenders = children.map((child) => child.lines.filter((line) => line.startsWith('journal ')).length);
    expect(appenders.every((count) => count > 0)).toBe(true);
    expect(await railyard.journal.verify()).toMatchObject({ ok: true, entries: entries.length });
  }, 60_000);

  for (const killAt of ['journal-transferring', 'journal-verifying', 'step']) {
    it(`a worker killed with SIGKILL mid-promotion (${killAt}) is taken over: active, verified journal`, async () => {
      const setup = createRailyard({ store, blobs: fileBlobStore({ dir: blobDir }) });
      await setup.environments.define({
        id: 'production',
        verification: { scenarios: [{ id: 'smoke', steps: [{ type: 'check' }] }] },
      });
      const bundle = await createBundle(setup);
      const deployment = await setup.promote({ bundle: bundle.id, to: 'production', by: dev });
      const child = spawnChild(['crash', schema, blobDir]);
      children = [child];
      const [, status] = killAt.split('-');
      const seen = await child.line((line) =>
        status ? line.startsWith('journal ') && line.endsWith(` ${status}`) : line.startsWith('step '),
      );
      child.proc.kill('SIGKILL');
      expect(await child.exited).toBe('SIGKILL');

      // Another worker; its clock can jump past the dead worker's scenario run lease: 60 s, extended
      // by the attempt's timeout (60 s by default) while a step runs.
      const clock = createFakeClock(new Date());
      const keys: string[] = [];
      const survivor = createRailyard({
        store,
        blobs: fileBlobStore({ dir: blobDir }),
        clock,
        steps: { check: { params: z.object({}), run: ({ idempotencyKey }) => void keys.push(idempotencyKey) } },
      });
      await survivor.settle();
      await clock.advance(121_000);
      await survivor.settle();
      expect((await survivor.deployment(deployment.id))?.status).toBe('active');
      expect(await survivor.environments.get('production')).toMatchObject({
        inFlight: null,
        active: { deploymentId: deployment.id },
      });
      expect(keys).toEqual([`${deployment.id}:smoke:0`]);
      if (seen.startsWith('step ')) expect(seen).toBe(`step ${keys[0]}`);
      checkJournalInvariants(await journal());
      expect(await survivor.journal.verify()).toMatchObject({ ok: true });
    });
  }
});
