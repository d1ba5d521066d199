import { describe, expect, it } from 'vitest';
import { bake, createBundle, createWorld, designer, operator, promoteToProduction, requester } from './fixtures.js';

describe('explain', () => {
  it('says what a deployment waits for at each stage, with every gate', async () => {
    const world = await createWorld({ approvals: 2 });
    const { railyard } = world;
    const bundle = await createBundle(railyard, '1.0.0');
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    const d = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    await railyard.approve(d.id, { by: operator });
    const waiting = await railyard.explain(d.id);
    expect(waiting.deployment).toMatchObject({
      status: 'awaiting_approval',
      waitingFor: ['1 more approval(s) from ops (approved by operator)'],
    });
    expect(waiting.gates.find((g) => g.gate === 'approvals')?.status).toBe('pending');
    expect(waiting.text).toContain('awaiting_approval; deadline');
    await railyard.approve(d.id, { by: { id: 'operator-2', roles: ['ops'] } });
    await railyard.settle();
    const verifying = await railyard.explain(d.id);
    expect(verifying.deployment?.waitingFor.at(-1)).toContain('the bake time to end');
    await bake(world);
    expect((await railyard.explain(d.id)).deployment).toMatchObject({ status: 'active', waitingFor: [] });
  });

  it('explains what stands between a bundle and an environment', async () => {
    const world = await createWorld();
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    const older = await createBundle(world.railyard, '0.9.0');
    const explanation = await world.railyard.explain({ bundle: older.id, to: 'production' });
    expect(explanation.gates.filter((g) => g.status === 'block').map((g) => g.gate)).toEqual([
      'upstream',
      'no-downgrade',
    ]);
    expect(explanation.text).toContain('no-downgrade: blocking');
    await expect(world.railyard.explain('production/999999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
