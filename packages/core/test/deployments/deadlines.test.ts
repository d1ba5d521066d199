import { describe, expect, it } from 'vitest';
import {
  bake,
  createBundle,
  createWorld,
  designer,
  intern,
  operator,
  promoteToProduction,
  requester,
} from './fixtures.js';

const day = 24 * 3_600_000;

describe('deadlines and abandon', () => {
  it('fails a deployment left awaiting approval past its deadline and frees the queue', async () => {
    const world = await createWorld();
    const { railyard, clock } = world;
    const bundle = await createBundle(railyard, '1.0.0');
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    const waiting = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    await clock.advance(7 * day - 1);
    await railyard.settle();
    expect((await railyard.deployment(waiting.id))?.status).toBe('awaiting_approval');
    await clock.advance(1);
    await railyard.settle();
    expect(await railyard.deployment(waiting.id)).toMatchObject({ status: 'failed', failure: { code: 'deadline' } });
    expect((await railyard.environments.get('production'))?.queue).toEqual([]);
  });

  it('times out a stuck activation and lets the next deployment through', async () => {
    let release: (() => void) | undefined;
    const world = await createWorld({
      activate: ({ deployment, signal }) =>
        deployment.environment === 'production' && deployment.version === '1.0.0'
          ? new Promise<void>((resolve, reject) => {
              release = resolve;
              signal.addEventListener('abort', () => reject(new Error('aborted')));
            })
          : undefined,
    });
    const { railyard, clock } = world;
    const stuck = await promoteToProduction(world, '1.0.0');
    const settling = railyard.settle();
    while (clock.pending() === 0) await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(30 * 60_000);
    await settling;
    expect(await railyard.deployment(stuck.deployment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'activation-failed', reason: expect.stringContaining('deadline') },
    });
    expect((await railyard.environments.get('production'))?.active).toBeNull();
    release?.();
    const next = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect((await railyard.deployment(next.deployment.id))?.status).toBe('active');
  });

  it('fails verification that never turns healthy by its deadline, and rolls back', async () => {
    const world = await createWorld();
    const { railyard } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    // the probe keeps answering "inconclusive" for 1.1.0: never healthy, never critical
    railyard.registerProbe('flaky', () => 'inconclusive');
    const production = (await railyard.environments.get('production'))!;
    await railyard.environments.define({
      ...production.definition,
      verification: {
        ...production.definition.verification,
        monitors: [{ id: 'flaky', probe: 'flaky', intervalMs: 60_000, failAfter: 1, params: {} }],
      },
    });
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world, 125);
    expect(await railyard.deployment(second.deployment.id)).toMatchObject({
      status: 'rolled_back',
      failure: { code: 'deadline', reason: expect.stringContaining('flaky') },
    });
  });

  it('lets an operator abandon a deployment, journaled with the reason', async () => {
    const world = await createWorld();
    const { railyard } = world;
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await expect(railyard.abandon(deployment.id, { by: intern, reason: 'stuck' })).rejects.toMatchObject({
      rule: 'actor-role',
    });
    const abandoned = await railyard.abandon(deployment.id, { by: operator, reason: 'warehouse maintenance' });
    expect(abandoned).toMatchObject({
      status: 'failed',
      failure: { code: 'abandoned', reason: 'warehouse maintenance', by: operator },
    });
    const entries = [];
    for await (const entry of railyard.journal.read({ deploymentId: deployment.id })) entries.push(entry);
    expect(entries.at(-1)).toMatchObject({
      actor: operator,
      reason: 'warehouse maintenance',
      data: { event: 'abandon', to: 'failed' },
    });
    await expect(railyard.abandon(deployment.id, { by: operator })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
  });
});
