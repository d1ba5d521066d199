import type { MonitorDefinition } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, intern, operator, promoteToProduction, type World } from './fixtures.js';

/** Production watches for 30 minutes after activation with an error-rate monitor judged by thresholds. */
async function watchedWorld(monitors: Array<Partial<MonitorDefinition>> = [{}]) {
  const world = await createWorld();
  const rates = new Map<string, number>();
  world.railyard.registerProbe('rate', ({ snapshot }) => ({
    value: rates.get(snapshot.version) ?? 0.01,
    detail: `rate ${rates.get(snapshot.version) ?? 0.01}`,
  }));
  const production = (await world.railyard.environments.get('production'))!;
  await world.railyard.environments.define({
    ...production.definition,
    verification: {
      scenarios: [],
      bakeTimeMs: 2 * 60_000,
      watchMs: 30 * 60_000,
      monitors: monitors.map((m, i) => ({
        id: `rate-${i}`,
        probe: 'rate',
        intervalMs: 60_000,
        thresholds: { warning: 0.02, critical: 0.05, direction: 'above' as const },
        failAfter: 2,
        clearAfter: 1,
        ...m,
      })),
    },
  });
  return { ...world, rates };
}

async function production(world: World) {
  return (await world.railyard.environments.get('production'))!;
}

describe('monitors after activation (the watch period)', () => {
  it('roll back automatically when a monitor turns critical during the watch', async () => {
    const world = await watchedWorld();
    const first = await promoteToProduction(world, '1.0.0');
    await bake(world, 5);
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world, 5);
    expect((await world.railyard.deployment(second.deployment.id))?.status).toBe('active');
    world.rates.set('1.1.0', 0.09); // the error rate climbs 10 minutes after going live
    await bake(world, 5);
    expect(await world.railyard.deployment(second.deployment.id)).toMatchObject({ status: 'rolled_back' });
    const env = await production(world);
    expect(env.active?.snapshot.version).toBe('1.0.0');
    expect(env.consecutiveAutoRollbacks).toBe(1);
    expect((await world.railyard.deployment(first.deployment.id))?.status).toBe('superseded');
    const statuses: string[] = [];
    for await (const e of world.railyard.journal.read({ environment: 'production' }))
      if (e.type === 'monitor.status') statuses.push(`${e.data.phase}:${e.data.from}→${e.data.to}`);
    expect(statuses).toContain('watch:ok→critical');
  });

  it('stop watching when the watch period ends', async () => {
    const world = await watchedWorld();
    await promoteToProduction(world, '1.0.0');
    await bake(world, 5);
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world, 40);
    world.rates.set('1.1.0', 0.09);
    await bake(world, 5);
    expect((await world.railyard.deployment(second.deployment.id))?.status).toBe('active');
  });

  it('record but never act on a monitor in shadow mode', async () => {
    const world = await watchedWorld([{ shadow: true }]);
    await promoteToProduction(world, '1.0.0');
    await bake(world, 5);
    world.rates.set('1.1.0', 0.09);
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world, 10);
    expect((await world.railyard.deployment(second.deployment.id))?.status).toBe('active');
    const health = await world.railyard.health('production');
    expect(health.monitors.items[0]).toMatchObject({ status: 'critical', shadow: true });
    expect(health.monitors.level).toBe('ok');
  });

  it('honour a silence until it expires, then act again', async () => {
    const world = await watchedWorld();
    const { railyard, clock } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world, 5);
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world, 5);
    const until = new Date(clock.now().getTime() + 10 * 60_000).toISOString();
    await expect(
      railyard.monitors.silence({ environment: 'production', monitor: 'rate-0', until, by: intern, reason: 'x' }),
    ).rejects.toMatchObject({ rule: 'actor-role' });
    await railyard.monitors.silence({
      environment: 'production',
      monitor: 'rate-0',
      until,
      by: operator,
      reason: 'known noisy upstream',
    });
    expect((await railyard.monitors.silences('production')).map((s) => s.monitor)).toEqual(['rate-0']);
    world.rates.set('1.1.0', 0.09);
    await bake(world, 8);
    expect((await railyard.deployment(second.deployment.id))?.status).toBe('active');
    expect((await railyard.health('production')).monitors.items[0]).toMatchObject({
      status: 'silenced',
      silencedUntil: until,
    });
    await bake(world, 6);
    expect((await railyard.deployment(second.deployment.id))?.status).toBe('rolled_back');
  });
  it('end a silence early on an operator’s word, journaled; the monitor acts again', async () => {
    const world = await watchedWorld();
    const { railyard, clock } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world, 5);
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world, 5);
    const until = new Date(clock.now().getTime() + 60 * 60_000).toISOString();
    const input = { environment: 'production', monitor: 'rate-0', until, by: operator, reason: 'noisy upstream' };
    await railyard.monitors.silence(input);
    const ending = { environment: 'production', monitor: 'rate-0', by: operator, reason: 'upstream fixed' };
    await expect(railyard.monitors.unsilence({ ...ending, by: intern })).rejects.toMatchObject({ rule: 'actor-role' });
    expect(await railyard.monitors.silences('production')).toHaveLength(1);
    expect(await railyard.monitors.unsilence(ending)).toMatchObject({ monitor: 'rate-0', until });
    expect(await railyard.monitors.silences('production')).toEqual([]);
    await expect(railyard.monitors.unsilence(ending)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { kind: 'silence', id: 'production/rate-0' },
    });
    const ended: unknown[] = [];
    for await (const e of railyard.journal.read({ environment: 'production' }))
      if (e.type === 'monitor.unsilenced') ended.push({ actor: e.actor.id, reason: e.reason, until: e.data.until });
    expect(ended).toEqual([{ actor: operator.id, reason: 'upstream fixed', until }]);
    // Silenced for an hour, yet acting again: a critical reading rolls the release back.
    world.rates.set('1.1.0', 0.09);
    await bake(world, 5);
    expect((await railyard.deployment(second.deployment.id))?.status).toBe('rolled_back');
  });
});

describe('health', () => {
  it('rolls up deployment, execution and monitor status with their reasons', async () => {
    const world = await watchedWorld([{}, { id: 'latency', thresholds: { warning: 0.005, direction: 'above' } }]);
    expect((await world.railyard.health('production')).level).toBe('unknown');
    await promoteToProduction(world, '1.0.0');
    await bake(world, 5);
    const healthy = await world.railyard.health('production');
    expect(healthy).toMatchObject({
      level: 'warning',
      deployment: { level: 'ok', active: { version: '1.0.0', status: 'active' } },
      monitors: { level: 'warning', reasons: [expect.stringContaining('latency is warning')] },
    });
    await expect(world.railyard.health('nowhere')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
