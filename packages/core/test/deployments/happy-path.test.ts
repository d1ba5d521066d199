import { describe, expect, it } from 'vitest';
import { bake, createWorld, operator, promoteToProduction } from './fixtures.js';

describe('a promotion into production', () => {
  it('goes requested → awaiting approval → approved → … → active, with a verified journal', async () => {
    const world = await createWorld();
    const { railyard } = world;
    const { deployment, bundle } = await promoteToProduction(world, '1.0.0');
    expect(deployment.status).toBe('awaiting_approval');
    await bake(world);
    const done = await railyard.deployment(deployment.id);
    expect(done?.status).toBe('active');
    if (done?.status !== 'active') throw new Error('unreachable');
    expect(done.snapshot).toEqual({
      bundleId: bundle.id,
      project: 'churn',
      version: '1.0.0',
      variables: { REGION: 'eu-west-1' },
      connections: { warehouse: 'prod-warehouse' },
    });
    expect(done.approvals.map((a) => a.by.id)).toEqual([operator.id]);
    const production = await railyard.environments.get('production');
    expect(production?.active?.deploymentId).toBe(deployment.id);
    expect(production?.inFlight).toBeNull();
    expect(production?.status).toBe('ready');

    const transitions: string[] = [];
    for await (const entry of railyard.journal.read({ deploymentId: deployment.id })) {
      if (entry.type === 'deployment.transition') transitions.push(`${entry.data.from}→${entry.data.to}`);
    }
    expect(transitions).toEqual([
      'requested→awaiting_approval',
      'awaiting_approval→approved',
      'approved→transferring',
      'transferring→preflight',
      'preflight→activating',
      'activating→verifying',
      'verifying→active',
    ]);
    expect(await railyard.journal.verify()).toMatchObject({ ok: true });
    expect(world.health.smokeCalls).toEqual([`${deployment.id}:smoke:0`]);
  });

  it('supersedes the previous deployment when a newer version goes live', async () => {
    const world = await createWorld();
    const first = await promoteToProduction(world, '1.0.0');
    await bake(world);
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect((await world.railyard.deployment(first.deployment.id))?.status).toBe('superseded');
    expect((await world.railyard.deployment(second.deployment.id))?.status).toBe('active');
    const history = await world.railyard.history('production');
    expect(history.map((d) => d.version)).toEqual(['1.1.0', '1.0.0']);
  });
});
