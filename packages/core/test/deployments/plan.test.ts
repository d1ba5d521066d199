import { describe, expect, it } from 'vitest';
import { bake, createBundle, createWorld, designer, operator, promoteToProduction, requester } from './fixtures.js';

describe('plan', () => {
  it('shows the diff against production, the resolved settings and every gate, with no side effects', async () => {
    const world = await createWorld();
    const { railyard, store } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    const next = await createBundle(railyard, '1.1.0');
    const before = await store.list('deployment', { limit: 1000 });
    const planned = await railyard.plan({ bundle: next.id, to: 'production', by: requester });
    expect(await store.list('deployment', { limit: 1000 })).toEqual(before);
    expect(planned).toMatchObject({
      environment: 'production',
      active: { version: '1.0.0' },
      allowed: false,
      resolves: { variables: { REGION: 'eu-west-1' }, connections: { warehouse: 'prod-warehouse' } },
    });
    expect(planned.diff.changed.map((c) => c.path)).toEqual(['model/weights.bin']);
    const gates = Object.fromEntries(planned.gates.map((g) => [g.gate, g.status]));
    expect(gates).toMatchObject({
      upstream: 'block',
      'no-downgrade': 'pass',
      requirements: 'pass',
      approvals: 'pending',
      'freeze-window': 'pass',
    });
    expect(planned.text).toContain('✗ upstream');
    expect(planned.text).toContain('~ model/weights.bin');
  });

  it('is what an approver reviews for a waiting deployment', async () => {
    const world = await createWorld();
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    const next = await createBundle(world.railyard, '1.2.0');
    await world.railyard.promote({ bundle: next.id, to: 'design', by: designer });
    await world.railyard.settle();
    const waiting = await world.railyard.promote({ bundle: next.id, to: 'production', by: requester });
    const review = await world.railyard.plan({ deployment: waiting.id });
    expect(review).toMatchObject({
      allowed: true,
      bundle: { version: '1.2.0' },
      active: { deploymentId: deployment.id },
    });
    expect(review.gates.find((g) => g.gate === 'approvals')).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('ops'),
    });
    await world.railyard.approve(waiting.id, { by: operator });
  });

  it('reports a freeze with the time it opens', async () => {
    const world = await createWorld();
    const production = (await world.railyard.environments.get('production'))!;
    await world.railyard.environments.define({
      ...production.definition,
      policy: {
        ...production.definition.policy,
        freeze: {
          windows: [{ from: '2026-03-01T00:00:00.000Z', until: '2026-03-05T00:00:00.000Z' }],
          overrideRoles: [],
        },
      },
    });
    const bundle = await createBundle(world.railyard, '1.0.0');
    const planned = await world.railyard.plan({ bundle: bundle.id, to: 'production' });
    expect(planned.gates.find((g) => g.gate === 'freeze-window')).toMatchObject({
      status: 'block',
      opensAt: '2026-03-05T00:00:00.000Z',
    });
  });
});
