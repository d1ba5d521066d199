import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStateStore, MemoryStateStore } from '@railyard/core/adapters';
import { afterEach, describe, expect, it } from 'vitest';
import { KIND } from '#internal/runtime/records.js';
import { operator, requester, type SecretsWorld, secretsWorld, ship, VAULT } from './world.js';

const VALUES = Object.values(VAULT);
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Every byte of every file under `dir`. */
async function filesUnder(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'latin1')),
  );
  expect(texts.length).toBeGreaterThan(0);
  return texts.join('\n');
}

/** Every record of every kind and the whole journal, as the memory store holds them. */
async function memoryRecords(store: MemoryStateStore): Promise<string> {
  const parts: unknown[] = [store.peek.journal()];
  for (const kind of Object.values(KIND)) parts.push((await store.list(kind, { limit: 10_000 })).items);
  return JSON.stringify(parts);
}

/** Everything a caller can read back through the API. */
async function everythingReturned(world: SecretsWorld, bundleId: string): Promise<string> {
  const { railyard } = world;
  const journal: unknown[] = [];
  for await (const entry of railyard.journal.read({})) journal.push(entry);
  const history = await railyard.history('production');
  const explained = await Promise.all(history.map((d) => railyard.explain(d.id)));
  const plan = await railyard.plan({ bundle: bundleId, to: 'production', by: requester });
  return JSON.stringify([
    journal,
    history,
    explained,
    plan,
    plan.text,
    await railyard.environments.list(),
    await railyard.health('production'),
    await railyard.scenarios.runs({}),
  ]);
}

/** The scan saw the settings (the reference's name is there), but no secret value. */
function expectNoSecret(text: string, where: string): void {
  expect(text, `${where} was scanned`).toContain('prod-db-password-v1');
  for (const value of VALUES) expect(text.includes(value), `${where} holds a secret value`).toBe(false);
}

describe.each(['memory', 'file'] as const)('secret references (%s store)', (kind) => {
  it('reach the activation hook, a probe and a verification step resolved, and nothing stored, journaled, emitted, notified or returned', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'railyard-secrets-'));
    dirs.push(dir);
    const world = await secretsWorld(kind, dir);
    const { railyard, received } = world;
    const first = await ship(world, '1.0.0');
    expect(received.activation).toEqual([VAULT['prod-db-password-v1']]);
    expect(received.step).toEqual([VAULT['prod-db-password-v1']]);
    expect(received.probe.length).toBeGreaterThan(0);
    expect(new Set(received.probe)).toEqual(new Set([VAULT['prod-warehouse-dsn']]));
    expect(received.resolverCalls).toContain('activation:production:prod-db-password-v1');
    expect(received.resolverCalls).toContain('probe:production:prod-warehouse-dsn');
    expect(received.resolverCalls).toContain('step:production:prod-db-password-v1');
    const active = (await railyard.environments.get('production'))?.active;
    expect(active?.deploymentId).toBe(first.deployment.id);
    expect(active?.snapshot.variables).toEqual({ REGION: 'eu-west-1', DB_PASSWORD: { secret: 'prod-db-password-v1' } });
    expect(active?.snapshot.connections).toEqual({ warehouse: { secret: 'prod-warehouse-dsn' } });

    // Rotate: the plan shows the reference changing, by name.
    const production = (await railyard.environments.get('production'))?.definition;
    await railyard.environments.define({
      ...(production as NonNullable<typeof production>),
      variables: { REGION: 'eu-west-1', DB_PASSWORD: { secret: 'prod-db-password-v2' } },
    });
    const next = await railyard.bundles.create({
      project: 'churn',
      version: '1.1.0',
      entries: [{ path: 'model.bin', content: 'model 1.1.0' }],
      createdBy: { id: 'designer', roles: ['dev'] },
    });
    const planned = await railyard.plan({ bundle: next.id, to: 'production', by: requester });
    expect(planned.settings).toEqual([
      {
        kind: 'variable',
        name: 'DB_PASSWORD',
        change: 'changed',
        from: { secret: 'prod-db-password-v1' },
        to: { secret: 'prod-db-password-v2' },
      },
    ]);
    expect(planned.text).toContain('DB_PASSWORD secret:prod-db-password-v1 → secret:prod-db-password-v2');
    expect(planned.text).toContain('warehouse→secret:prod-warehouse-dsn');

    const second = await ship(world, '1.2.0');
    expect(received.activation.at(-1)).toBe(VAULT['prod-db-password-v2']);
    expect(received.step.at(-1)).toBe(VAULT['prod-db-password-v2']);

    // Rollback restores the reference the first deployment ran with, so the hook gets v1 again.
    const rollback = await railyard.rollback('production', { by: operator, reason: 'bad release' });
    await railyard.settle();
    const restored = await railyard.deployment(rollback.id);
    expect(restored && 'snapshot' in restored ? restored.snapshot?.variables.DB_PASSWORD : null).toEqual({
      secret: 'prod-db-password-v1',
    });
    expect(received.activation.at(-1)).toBe(VAULT['prod-db-password-v1']);
    expect((await railyard.environments.get('production'))?.active?.deploymentId).toBe(rollback.id);
    expect(second.deployment.id).not.toBe(rollback.id);

    // Nowhere: the store's bytes, the journal, events, notifications, and what the API returns.
    if (kind === 'file') {
      expectNoSecret(await filesUnder(dir), 'the file store (log)');
      await (world.store as FileStateStore).compact();
      expectNoSecret(await filesUnder(dir), 'the file store (snapshot)');
    } else {
      expectNoSecret(await memoryRecords(world.store as MemoryStateStore), 'the memory store');
    }
    expect(world.emitted.length).toBeGreaterThan(10);
    expect(world.notified.length).toBeGreaterThan(10);
    expectNoSecret(world.emitted.join('\n'), 'the event stream');
    expectNoSecret(world.notified.join('\n'), 'notifier payloads');
    const returned = await everythingReturned(world, second.bundle.id);
    expectNoSecret(returned, 'what the API returns');
    await railyard.close();
  });
});
