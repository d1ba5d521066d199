import { defineStep, type PolicyInput } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bake,
  createBundle,
  createWorld,
  designer,
  operator,
  promoteToProduction,
  requester,
  type World,
} from './fixtures.js';

async function withPolicy(world: World, policy: PolicyInput) {
  const production = (await world.railyard.environments.get('production'))!;
  await world.railyard.environments.define({
    ...production.definition,
    policy: { ...production.definition.policy, ...policy },
  });
}

describe('rollback policy options', () => {
  it('holds for a person instead of rolling back in hold mode', async () => {
    const world = await createWorld();
    await withPolicy(world, { approvals: { required: 1, roles: ['ops'] }, autoRollback: { mode: 'hold' } });
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    world.health.erroring.add('1.1.0');
    const bad = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect(await world.railyard.deployment(bad.deployment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'monitor-critical' },
    });
    const production = await world.railyard.environments.get('production');
    expect(production).toMatchObject({
      status: 'halted',
      statusReason: expect.stringContaining('holds for a person'),
      consecutiveAutoRollbacks: 0,
    });
    expect(production?.active?.snapshot.version).toBe('1.1.0');
  });

  it('leaves a failed verification alone when the policy does not roll back on it', async () => {
    const world = await createWorld();
    await withPolicy(world, {
      approvals: { required: 1, roles: ['ops'] },
      autoRollback: { on: { verificationFailed: false } },
    });
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    world.health.erroring.add('1.1.0');
    const bad = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect((await world.railyard.deployment(bad.deployment.id))?.status).toBe('failed');
    expect(await world.railyard.environments.get('production')).toMatchObject({ status: 'degraded' });
  });

  it('fast-tracks a rollback: healthy once active, without re-running verification', async () => {
    const world = await createWorld();
    await withPolicy(world, {
      approvals: { required: 1, roles: ['ops'] },
      autoRollback: { verifyRollback: 'fast-track' },
    });
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    world.health.erroring.add('1.1.0');
    await promoteToProduction(world, '1.1.0');
    await bake(world);
    const calls = world.health.smokeCalls.length;
    const production = await world.railyard.environments.get('production');
    const rollback = await world.railyard.deployment(production!.active!.deploymentId);
    expect(rollback).toMatchObject({ kind: 'rollback', status: 'active', version: '1.0.0' });
    expect(world.health.smokeCalls.filter((key) => key.startsWith(rollback!.id))).toEqual([]);
    expect(world.health.smokeCalls.length).toBe(calls);
  });
});

describe('recurring freeze windows', () => {
  it('freezes every Friday evening for the weekend, in the environment time zone, and says when it opens', async () => {
    const world = await createWorld(); // the clock starts on Monday 2026-03-02 09:00 UTC
    await withPolicy(world, {
      approvals: { required: 1, roles: ['ops'] },
      freeze: {
        recurring: [{ cron: '0 18 * * 5', timezone: 'Europe/Paris', durationMs: 62 * 3_600_000, reason: 'weekend' }],
        overrideRoles: [],
      },
    });
    const bundle = await createBundle(world.railyard, '1.0.0');
    await world.railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await world.railyard.settle();
    expect(
      (await world.railyard.plan({ bundle: bundle.id, to: 'production' })).gates.find((g) => g.gate === 'freeze-window')
        ?.status,
    ).toBe('pass');
    await world.clock.set('2026-03-06T17:30:00.000Z'); // Friday 18:30 in Paris
    await expect(world.railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).rejects.toMatchObject({
      rule: 'freeze-window',
      details: { opensAt: '2026-03-09T07:00:00.000Z' },
    });
    await world.clock.set('2026-03-09T07:00:00.000Z'); // Monday 08:00 in Paris
    await expect(world.railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).resolves.toMatchObject(
      { status: 'awaiting_approval' },
    );
  });

  it('refuses an invalid cron expression or time zone', async () => {
    const world = await createWorld();
    await expect(
      withPolicy(world, { freeze: { recurring: [{ cron: 'every friday', durationMs: 3_600_000 }] } }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      withPolicy(world, {
        freeze: { recurring: [{ cron: '0 18 * * 5', timezone: 'Mars/Olympus', durationMs: 3_600_000 }] },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('rollback on a named scenario failing during the watch', () => {
  it('rolls back when a watched scenario run in the environment fails after activation', async () => {
    const world = await createWorld();
    const { railyard } = world;
    let broken = false;
    railyard.scenarios.registerStep(
      'orders-check',
      defineStep({
        params: z.object({}),
        run: () => {
          if (broken) throw new Error('orders table is empty');
        },
      }),
    );
    await railyard.scenarios.define(
      { id: 'orders', environment: 'production', steps: [{ name: 'check', type: 'orders-check', params: {} }] },
      { by: operator },
    );
    const production = (await railyard.environments.get('production'))!;
    await railyard.environments.define({
      ...production.definition,
      policy: { ...production.definition.policy, autoRollback: { on: { scenarios: ['orders'] } } },
      verification: { ...production.definition.verification, watchMs: 60 * 60_000 },
    });
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    await railyard.scenarios.run('orders', { by: operator }); // passes: no rollback
    await bake(world, 2);
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect((await railyard.deployment(second.deployment.id))?.status).toBe('active');
    broken = true;
    await railyard.scenarios.run('orders', { by: operator });
    await bake(world);
    expect((await railyard.deployment(second.deployment.id))?.status).toBe('rolled_back');
    const env = await railyard.environments.get('production');
    expect(env).toMatchObject({ status: 'ready', active: { snapshot: { version: '1.0.0' } } });
    const reasons: string[] = [];
    for await (const e of railyard.journal.read({ environment: 'production' }))
      if (e.type === 'deployment.requested' && e.data.kind === 'rollback') reasons.push(e.reason ?? '');
    expect(reasons[0]).toContain('scenario orders failed');
  });
});
