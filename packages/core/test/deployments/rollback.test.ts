import { IN_FLIGHT_STATES, memoryStateStore, type StateStore, type Transaction } from '@railyard/core/adapters';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, operator, promoteToProduction, requester } from './fixtures.js';

describe('automatic rollback', () => {
  it('rolls back to the previous snapshot when a monitor turns critical during verification', async () => {
    const world = await createWorld();
    const { railyard, health } = world;
    const first = await promoteToProduction(world, '1.0.0');
    await bake(world);
    health.erroring.add('1.1.0');
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world);
    const bad = await railyard.deployment(second.deployment.id);
    expect(bad).toMatchObject({ status: 'rolled_back', failure: { code: 'monitor-critical' } });
    const production = await railyard.environments.get('production');
    const rollbackId = production?.active?.deploymentId;
    const rollback = await railyard.deployment(rollbackId!);
    expect(rollback).toMatchObject({
      kind: 'rollback',
      automatic: true,
      status: 'active',
      rollbackOf: second.deployment.id,
      version: '1.0.0',
    });
    expect(production).toMatchObject({ status: 'ready', consecutiveAutoRollbacks: 1, inFlight: null });
    expect((await railyard.deployment(first.deployment.id))?.status).toBe('superseded');
    expect(await railyard.journal.verify()).toMatchObject({ ok: true });
  });

  it('rolls back when a scenario fails after its retries, and not when a retry succeeds', async () => {
    const world = await createWorld();
    const { railyard, health } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    health.smokeFailures.set('1.1.0', 1); // one retry is allowed: the step recovers
    const retried = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect((await railyard.deployment(retried.deployment.id))?.status).toBe('active');
    health.smokeFailures.set('1.2.0', 2);
    const failing = await promoteToProduction(world, '1.2.0');
    await bake(world);
    expect(await railyard.deployment(failing.deployment.id)).toMatchObject({
      status: 'rolled_back',
      failure: { code: 'scenario-failed', reason: expect.stringContaining('smoke check returned 500') },
    });
    expect((await railyard.environments.get('production'))?.active?.snapshot.version).toBe('1.1.0');
  });

  it('halts the environment past the cap of consecutive automatic rollbacks, until a person resumes it', async () => {
    const world = await createWorld({ maxConsecutive: 2 });
    const { railyard, health } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    for (const version of ['1.1.0', '1.2.0', '1.3.0']) health.smokeFailures.set(version, 1000);
    for (const version of ['1.1.0', '1.2.0']) {
      await promoteToProduction(world, version);
      await bake(world);
    }
    expect((await railyard.environments.get('production'))?.consecutiveAutoRollbacks).toBe(2);
    const third = await promoteToProduction(world, '1.3.0');
    await bake(world);
    expect(await railyard.deployment(third.deployment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'scenario-failed' },
    });
    const halted = await railyard.environments.get('production');
    expect(halted).toMatchObject({ status: 'halted', statusReason: expect.stringContaining('cap') });
    const bundle = await railyard.bundles.list({ project: 'churn' });
    await expect(
      railyard.promote({ bundle: bundle.at(-1)!.id, to: 'production', by: requester }),
    ).rejects.toMatchObject({
      rule: 'environment-halted',
    });
    await expect(railyard.resume('production', { by: requester })).rejects.toMatchObject({ rule: 'actor-role' });
    const resumed = await railyard.resume('production', { by: operator, reason: 'fixed the smoke endpoint' });
    expect(resumed).toMatchObject({ status: 'degraded', consecutiveAutoRollbacks: 0 });
  });

  it('never rolls back a rollback: a failing rollback halts the environment', async () => {
    const world = await createWorld();
    const { railyard, health } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    health.smokeFailures.set('1.1.0', 1000);
    health.smokeFailures.set('1.0.0', 1000); // what ran before is broken now too
    const second = await promoteToProduction(world, '1.1.0');
    await bake(world);
    const production = await railyard.environments.get('production');
    expect(production).toMatchObject({ status: 'halted' });
    expect(await railyard.deployment(second.deployment.id)).toMatchObject({
      status: 'rolled_back',
      failure: { code: 'scenario-failed' },
    });
    const rollbacks = (await railyard.history('production')).filter((d) => d.kind === 'rollback');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({ status: 'failed', failure: { code: 'scenario-failed' } });
  });
});

describe('manual rollback', () => {
  it('restores a named earlier deployment with the full snapshot it ran with', async () => {
    const world = await createWorld();
    const { railyard } = world;
    const first = await promoteToProduction(world, '1.0.0');
    await bake(world);
    await promoteToProduction(world, '1.1.0');
    await bake(world);
    await promoteToProduction(world, '1.2.0');
    await bake(world);
    // production's settings change after 1.0.0 ran; the rollback must restore 1.0.0's own snapshot
    const production = (await railyard.environments.get('production'))!;
    await railyard.environments.define({ ...production.definition, variables: { REGION: 'us-east-1' } });
    await expect(
      railyard.rollback('production', { by: requester, reason: 'bad numbers', to: first.deployment.id }),
    ).rejects.toMatchObject({
      rule: 'actor-role',
    });
    const rollback = await railyard.rollback('production', {
      by: operator,
      reason: 'bad numbers in 1.2',
      to: first.deployment.id,
    });
    expect(rollback).toMatchObject({ kind: 'rollback', status: 'approved', automatic: false, version: '1.0.0' });
    await bake(world);
    const restored = await railyard.deployment(rollback.id);
    expect(restored).toMatchObject({
      status: 'active',
      snapshot: { version: '1.0.0', variables: { REGION: 'eu-west-1' } },
    });
    const history = await railyard.history('production');
    expect(history.find((d) => d.version === '1.2.0')?.status).toBe('rolled_back');
  });

  it('defaults to the deployment the active one replaced, and refuses when there is none', async () => {
    const world = await createWorld();
    const { railyard } = world;
    await expect(railyard.rollback('production', { by: operator, reason: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    await expect(railyard.rollback('production', { by: operator, reason: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await promoteToProduction(world, '1.1.0');
    await bake(world);
    const rollback = await railyard.rollback('production', { by: operator, reason: 'revert 1.1' });
    await bake(world);
    expect((await railyard.deployment(rollback.id))?.version).toBe('1.0.0');
    expect((await railyard.environments.get('production'))?.active?.snapshot.version).toBe('1.0.0');
  });
});

describe('the in-flight slot', () => {
  it('is held by every deployment in IN_FLIGHT_STATES and by nothing that has finished, after every commit of an automatic rollback', async () => {
    const inner = memoryStateStore();
    const seen = new Set<string>();
    const problems: string[] = [];
    const store: StateStore = Object.assign(Object.create(inner) as StateStore, {
      async commit(tx: Transaction) {
        const result = await inner.commit(tx);
        const deployments = (await inner.list('deployment', { limit: 1000 })).items;
        const environments = (await inner.list('environment', { limit: 1000 })).items;
        const status = new Map(deployments.map(({ id, value }) => [id, (value as { status: string }).status]));
        for (const value of status.values()) seen.add(value);
        const slots = new Set(
          environments
            .map(({ value }) => (value as { inFlight: string | null }).inFlight)
            .filter((id): id is string => id !== null),
        );
        for (const [id, value] of status) {
          const inFlight = (IN_FLIGHT_STATES as readonly string[]).includes(value);
          if (inFlight && !slots.has(id)) problems.push(`${id} is ${value} without the slot`);
          // A rollback takes the slot as it is created (approved), before it starts transferring.
          if (slots.has(id) && !inFlight && value !== 'approved') problems.push(`${id} holds the slot while ${value}`);
        }
        return result;
      },
    });
    const world = await createWorld({ store });
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    world.health.erroring.add('1.1.0');
    const bad = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect((await world.railyard.deployment(bad.deployment.id))?.status).toBe('rolled_back');
    expect(seen).toContain('rolling_back');
    expect(IN_FLIGHT_STATES).not.toContain('rolling_back');
    expect(problems).toEqual([]);
  });
});
