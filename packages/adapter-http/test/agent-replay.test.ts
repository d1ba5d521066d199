import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentClient, signRequest } from '@railyard/adapter-http';
import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
import { fileStateStore, memoryStateStore, type Railyard } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  designer,
  type ProductionSite,
  requester,
  SECRETS,
  signedFetch,
  startProduction,
} from './helpers.js';

const PG_URL = process.env.RAILYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ops = { id: 'olga', roles: ['ops'] };

let sites: ProductionSite[] = [];
afterEach(async () => {
  for (const site of sites.reverse()) await site.close();
  sites = [];
});

/** Two releases of `churn` shipped into production, so that there is one to roll back to. */
async function shipTwo(production: Railyard): Promise<{ v1: string; v2: string }> {
  const ship = async (version: string) => {
    const bundle = await production.bundles.create({
      project: 'churn',
      version,
      entries: [{ path: 'model.bin', content: `weights-${version}` }],
      createdBy: designer,
    });
    const deployment = await production.deployments.promote({ bundle: bundle.id, to: 'production', by: requester });
    await production.deployments.approve(deployment.id, { by: ops });
    await production.settle();
    return deployment.id;
  };
  return { v1: await ship('1.0.0'), v2: await ship('1.1.0') };
}

/** A signed rollback exactly as a client sends it: headers and body can be captured and sent again. */
function capturedRollback(site: ProductionSite, to: string, idempotencyKey: string) {
  const body = JSON.stringify({ reason: 'error rate up', to });
  const target = '/v1/environments/production/rollback';
  const headers = signRequest({
    method: 'POST',
    target,
    contentSha256: createHash('sha256').update(body).digest('hex'),
    keyId: 'ops',
    secret: SECRETS.ops,
    audience: AUDIENCE,
    idempotencyKey,
    now: site.clock.now(),
  });
  return (url: string) =>
    fetch(`${url}${target}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
}

const rollbacks = async (production: Railyard) =>
  (await production.deployments.history('production')).filter((d) => d.kind === 'rollback');

describe('idempotent commands over HTTP', () => {
  it('answers a repeated rollback (same Idempotency-Key) with the first result, and rolls back once', async () => {
    const site = await startProduction();
    sites.push(site);
    const { v1 } = await shipTwo(site.production);
    const client = createAgentClient({
      audience: AUDIENCE,
      url: site.url,
      keyId: 'ops',
      secret: SECRETS.ops,
      clock: site.clock,
    });
    const input = { reason: 'error rate up', to: v1, idempotencyKey: 'INC-4711-rollback' };
    const first = await client.rollback('production', input);
    await site.production.settle();
    const again = await client.rollback('production', input);
    expect(again).toEqual(first);
    expect((await rollbacks(site.production)).map((d) => d.id)).toEqual([first.id]);
    // The same key for another command is a conflict, not a silent replay of the first answer.
    await expect(client.rollback('production', { ...input, reason: 'something else' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });
    expect(await rollbacks(site.production)).toHaveLength(1);
    // A key that cannot travel as a header is refused before anything is sent.
    await expect(client.rollback('production', { ...input, idempotencyKey: 'with space' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('runs racing repeats of one key once', async () => {
    const site = await startProduction();
    sites.push(site);
    const { v1 } = await shipTwo(site.production);
    const client = createAgentClient({
      audience: AUDIENCE,
      url: site.url,
      keyId: 'ops',
      secret: SECRETS.ops,
      clock: site.clock,
    });
    const input = { reason: 'error rate up', to: v1, idempotencyKey: 'INC-4712' };
    const answers = await Promise.allSettled([1, 2, 3].map(() => client.rollback('production', input)));
    const ids = new Set(answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value.id] : [])));
    expect(ids.size).toBe(1);
    for (const answer of answers)
      if (answer.status === 'rejected')
        expect(answer.reason).toMatchObject({ retryable: true, details: { reason: 'idempotency-in-progress' } });
    expect(await rollbacks(site.production)).toHaveLength(1);
  });

  it('refuses a command without an Idempotency-Key (428) and changes nothing', async () => {
    const site = await startProduction();
    sites.push(site);
    const { v1 } = await shipTwo(site.production);
    const response = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/environments/production/rollback',
      body: JSON.stringify({ reason: 'r', to: v1 }),
      keyId: 'ops',
      secret: SECRETS.ops,
      now: site.clock.now(),
    });
    expect(response.status).toBe(428);
    expect(((await response.json()) as { details: { reason: string } }).details.reason).toBe('missing-idempotency-key');
    expect(await rollbacks(site.production)).toEqual([]);
  });
});

describe('audience', () => {
  it('refuses a request signed for another agent', async () => {
    const site = await startProduction();
    sites.push(site);
    const response = await signedFetch(site.url, {
      method: 'GET',
      target: '/v1/environments',
      now: site.clock.now(),
      audience: 'staging-site',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { details: { reason: string } }).details.reason).toBe('wrong-audience');
  });
});

describe('errors over HTTP', () => {
  it('answers a store failure with its code and a correlation id; the path and host go only to onError', async () => {
    const store = memoryStateStore({
      beforeCommit(tx) {
        if (tx.writes.some((w) => w.kind === 'deployment' && (w.value as { kind?: string })?.kind === 'rollback'))
          throw new Error(
            "ENOSPC: no space left on device, write '/var/lib/railyard/state/log.ndjson' (db.internal.example:5432)",
          );
      },
    });
    const site = await startProduction({ store });
    sites.push(site);
    const { v1 } = await shipTwo(site.production);
    const response = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/environments/production/rollback',
      body: JSON.stringify({ reason: 'r', to: v1 }),
      keyId: 'ops',
      secret: SECRETS.ops,
      idempotencyKey: 'INC-1',
      now: site.clock.now(),
    });
    const text = await response.text();
    const correlationId = response.headers.get('railyard-correlation-id');
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(text)).toMatchObject({ code: 'ADAPTER', details: { correlationId } });
    for (const secret of ['/var/lib', 'log.ndjson', 'db.internal', '5432', 'ENOSPC'])
      expect(text).not.toContain(secret);
    expect(site.errors).toHaveLength(1);
    expect(String((site.errors[0] as { cause?: unknown }).cause ?? site.errors[0])).toContain('/var/lib/railyard');
    expect(site.correlations).toEqual([correlationId]);
    expect(await rollbacks(site.production)).toEqual([]);
  });
});

describe('replay protection on the embedded file store', () => {
  it('refuses a captured request replayed after the agent restarts on the same directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'railyard-agent-replay-'));
    try {
      const clock = createFakeClock();
      const before = await startProduction({ store: await fileStateStore({ dir, fsync: false }), clock });
      sites.push(before);
      const { v1 } = await shipTwo(before.production);
      const send = capturedRollback(before, v1, 'INC-10');
      expect((await send(before.url)).status).toBe(200);
      sites = sites.filter((site) => site !== before);
      await before.close();

      const after = await startProduction({ store: await fileStateStore({ dir, fsync: false }), clock, defined: true });
      sites.push(after);
      const replayed = await send(after.url);
      expect(replayed.status).toBe(401);
      expect(((await replayed.json()) as { details: { reason: string } }).details.reason).toBe('replayed-nonce');
      expect(await rollbacks(after.production)).toHaveLength(1);
    } finally {
      for (const site of sites.splice(0)) await site.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// Replicas and restarts need a store they share: PostgreSQL.
async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
const reachable = await pgReachable();

describe.skipIf(!reachable && !process.env.CI)('replay protection on a shared PostgreSQL store', () => {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 10 });
  pool.on('error', () => undefined);
  const schema = `ry_replay_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('refuses a captured request replayed to a second replica, and to the first after it restarts', async () => {
    await migrate({ pool, schema });
    const clock = createFakeClock();
    const first = await startProduction({ store: await postgresStateStore({ pool, schema }), clock });
    sites.push(first);
    const second = await startProduction({ store: await postgresStateStore({ pool, schema }), clock, defined: true });
    sites.push(second);
    const { v1 } = await shipTwo(first.production);
    const send = capturedRollback(first, v1, 'INC-9');

    const accepted = await send(first.url);
    expect(accepted.status).toBe(200);
    const replayedToReplica = await send(second.url);
    expect(replayedToReplica.status).toBe(401);
    expect(((await replayedToReplica.json()) as { details: { reason: string } }).details.reason).toBe('replayed-nonce');

    // Restart the first replica: a new process on the same database.
    sites = sites.filter((site) => site !== first);
    await first.close();
    const restarted = await startProduction({
      store: await postgresStateStore({ pool, schema }),
      clock,
      defined: true,
    });
    sites.push(restarted);
    const replayedAfterRestart = await send(restarted.url);
    expect(replayedAfterRestart.status).toBe(401);
    expect(((await replayedAfterRestart.json()) as { details: { reason: string } }).details.reason).toBe(
      'replayed-nonce',
    );
    expect(await rollbacks(restarted.production)).toHaveLength(1);
  });
});
