import { isRailyardError, SecretUnavailableError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { bake, operator, secretsWorld, ship, VAULT } from './world.js';

describe('a secret the resolver cannot read', () => {
  it('fails the step, the probe and the activation hook that need it, naming the secret and never a value', async () => {
    const world = await secretsWorld('memory');
    const { railyard, vault, received } = world;
    const first = await ship(world, '1.0.0');
    expect((await railyard.environments.get('production'))?.active?.deploymentId).toBe(first.deployment.id);

    // The secret disappears from the secret store while 1.0.0 runs.
    vault.delete('prod-warehouse-dsn');
    const probesBefore = received.probe.length;

    // A scenario step that acts on production fails with SECRET_UNAVAILABLE, not retried.
    await railyard.scenarios.define(
      { id: 'nightly', steps: [{ type: 'smoke', params: {}, retries: 2 }] },
      { by: operator },
    );
    const run = await railyard.scenarios.run('nightly', { by: operator, environment: 'production' });
    await railyard.settle();
    const failed = await railyard.scenarios.getRun(run.id);
    expect(failed?.status).toBe('failed');
    const attempts = failed?.steps[0]?.attempts ?? [];
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.error).toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: false });
    expect(attempts[0]?.error?.message).toContain('"prod-warehouse-dsn"');

    // A built-in step never asks for secrets, so it still runs.
    await railyard.scenarios.define(
      { id: 'mark', steps: [{ type: 'railyard/set-variables', params: { values: { marked: true } } }] },
      { by: operator },
    );
    const marked = await railyard.scenarios.run('mark', { by: operator, environment: 'production' });
    await railyard.settle();
    expect((await railyard.scenarios.getRun(marked.id))?.status).toBe('succeeded');

    // The next probe reading is inconclusive, with the reason naming the secret; no probe code ran.
    await bake(world, 2);
    expect(received.probe.length).toBe(probesBefore);
    const health = await railyard.health('production');
    const db = health.monitors.items.find((m) => m.id === 'db');
    expect(db).toMatchObject({
      lastResult: 'inconclusive',
      detail: expect.stringContaining('Secret "prod-warehouse-dsn"'),
    });

    // A promotion fails at activation, and production keeps running 1.0.0.
    const activations = received.activation.length;
    const { deployment: promotion } = await ship(world, '1.1.0');
    const refused = await railyard.deployment(promotion.id);
    expect(refused?.status).toBe('failed');
    expect(refused && 'failure' in refused ? refused.failure : null).toMatchObject({
      code: 'activation-failed',
      reason: expect.stringContaining(
        'Secret "prod-warehouse-dsn" referenced by environment "production" is unavailable',
      ),
    });
    expect(received.activation.length).toBe(activations);
    expect((await railyard.environments.get('production'))?.active?.deploymentId).toBe(first.deployment.id);
    expect(JSON.stringify([failed, health, refused])).not.toContain(VAULT['prod-db-password-v1']);
    await railyard.close();
  });

  it('is a typed error that says what is missing and why, and crosses the network as its class', () => {
    const missing = new SecretUnavailableError({ secret: 'db', environment: 'production', reason: 'missing' });
    expect(missing).toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: false, details: { secret: 'db' } });
    expect(missing.message).toContain('docs/secrets.md');
    const failed = new SecretUnavailableError(
      { secret: 'db', environment: 'production', reason: 'resolver-failed' },
      { cause: new Error('vault unreachable') },
    );
    expect(failed.retryable).toBe(true);
    expect(isRailyardError(failed, 'SECRET_UNAVAILABLE')).toBe(true);
  });

  it('without a resolver, an environment referencing a secret cannot be defined', async () => {
    const { createRailyard, memoryBlobStore, memoryStateStore } = await import('@railyard/core');
    const store = memoryStateStore();
    const railyard = createRailyard({ store, blobs: memoryBlobStore() });
    await expect(
      railyard.environments.define({ id: 'production', variables: { DB_PASSWORD: { secret: 'db' } } }),
    ).rejects.toMatchObject({ code: 'CAPABILITY_MISSING', message: expect.stringContaining('secrets (db)') });
    expect(await railyard.environments.list()).toEqual([]);
    expect(store.peek.journal()).toEqual([]);
  });
});
