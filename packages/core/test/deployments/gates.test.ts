import { describe, expect, it } from 'vitest';
import { bake, createBundle, createWorld, designer, operator, promoteToProduction, requester } from './fixtures.js';

describe('promotion gates', () => {
  it('refuses a bundle that was never active upstream', async () => {
    const { railyard } = await createWorld();
    const bundle = await createBundle(railyard, '1.0.0');
    await expect(railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      rule: 'upstream',
    });
    expect(await railyard.history('production')).toEqual([]);
  });

  it('refuses a downgrade; only a rollback may go back', async () => {
    const world = await createWorld();
    await promoteToProduction(world, '1.1.0');
    await bake(world);
    const older = await createBundle(world.railyard, '1.0.0');
    await world.railyard.promote({ bundle: older.id, to: 'design', by: designer });
    await world.railyard.settle();
    await expect(world.railyard.promote({ bundle: older.id, to: 'production', by: requester })).rejects.toMatchObject({
      rule: 'no-downgrade',
      details: { active: '1.1.0', requested: '1.0.0' },
    });
  });

  it('refuses promotions during a freeze window unless an authorised actor overrides it with a reason', async () => {
    const world = await createWorld();
    const { railyard } = world;
    const production = await railyard.environments.get('production');
    const policy = production!.definition.policy;
    await railyard.environments.define({
      ...production!.definition,
      policy: {
        ...policy,
        freeze: {
          windows: [{ from: '2026-03-02T08:00:00.000Z', until: '2026-03-02T18:00:00.000Z', reason: 'quarter close' }],
          overrideRoles: ['release-manager'],
        },
      },
    });
    const bundle = await createBundle(railyard, '1.0.0');
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    await expect(railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).rejects.toMatchObject({
      rule: 'freeze-window',
      details: { opensAt: '2026-03-02T18:00:00.000Z' },
    });
    await expect(
      railyard.promote({ bundle: bundle.id, to: 'production', by: requester, freezeOverride: { reason: 'hotfix' } }),
    ).rejects.toMatchObject({ rule: 'freeze-override' });
    const manager = { id: 'release-manager', roles: ['release-manager'] };
    const overridden = await railyard.promote({
      bundle: bundle.id,
      to: 'production',
      by: manager,
      freezeOverride: { reason: 'fraud hotfix' },
    });
    expect(overridden.freezeOverride).toMatchObject({ by: manager, reason: 'fraud hotfix' });
    await railyard.approve(overridden.id, { by: operator });
    await bake(world);
    expect((await railyard.deployment(overridden.id))?.status).toBe('active');
  });

  it('fails in preflight when a freeze starts after approval, leaving the environment unchanged', async () => {
    const world = await createWorld();
    const { railyard } = world;
    const { deployment } = await promoteToProduction(world, '1.0.0');
    const production = (await railyard.environments.get('production'))!;
    await railyard.environments.define({
      ...production.definition,
      policy: {
        ...production.definition.policy,
        freeze: {
          windows: [{ from: '2026-03-02T00:00:00.000Z', until: '2026-03-03T00:00:00.000Z' }],
          overrideRoles: [],
        },
      },
    });
    const planned = (await railyard.plan({ deployment: deployment.id })).gates.find((g) => g.gate === 'freeze-window');
    await railyard.settle();
    const failed = await railyard.deployment(deployment.id);
    expect(failed).toMatchObject({ status: 'failed', failure: { code: 'freeze-window' } });
    // One gate, one message: preflight fails with the words plan and promote use.
    expect(planned).toMatchObject({ status: 'block', reason: expect.stringContaining('frozen until 2026-03-03') });
    expect(failed?.status === 'failed' && failed.failure.reason).toBe(planned?.reason);
    expect((await railyard.environments.get('production'))?.active).toBeNull();
  });

  it('refuses a bundle whose requirements the environment lacks', async () => {
    const { railyard } = await createWorld();
    const bundle = await railyard.bundles.create({
      project: 'churn',
      version: '2.0.0',
      entries: [{ path: 'a.sql', content: 'select 2' }],
      requirements: { variables: ['API_KEY'], connections: [], stepTypes: ['load-test'] },
      createdBy: designer,
    });
    const error = await railyard.promote({ bundle: bundle.id, to: 'design', by: designer }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      rule: 'requirements',
      details: { missing: { variables: ['API_KEY'], stepTypes: ['load-test'] } },
    });
  });

  it('can refuse instead of queueing when the environment is busy', async () => {
    const { railyard } = await createWorld();
    await railyard.environments.define({ id: 'sandbox', policy: { whenBusy: 'refuse' } });
    const a = await railyard.bundles.create({ project: 'p', version: '1.0.0', entries: [], createdBy: designer });
    await railyard.promote({ bundle: a.id, to: 'sandbox', by: designer });
    await expect(railyard.promote({ bundle: a.id, to: 'sandbox', by: designer })).rejects.toMatchObject({
      rule: 'queue-full',
    });
  });
});
