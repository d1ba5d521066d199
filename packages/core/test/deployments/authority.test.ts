import type { EnvironmentWarning, JournalEntry, PolicyInput } from '@railyard/core';
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
  type World,
} from './fixtures.js';

async function withPolicy(world: World, policy: PolicyInput) {
  const production = (await world.railyard.environments.get('production'))!;
  const { operatorRoles: _previous, ...rest } = production.definition.policy;
  await world.railyard.environments.define({ ...production.definition, policy: { ...rest, ...policy } });
}

/** Production runs 1.0.0, then a bad 1.1.0 halts it (hold mode): an operator must decide. */
async function haltedProduction() {
  const world = await createWorld();
  await withPolicy(world, { approvals: { required: 1, roles: ['ops'] }, autoRollback: { mode: 'hold' } });
  await promoteToProduction(world, '1.0.0');
  await bake(world);
  world.health.erroring.add('1.1.0');
  await promoteToProduction(world, '1.1.0');
  await bake(world);
  expect((await world.railyard.environments.get('production'))?.status).toBe('halted');
  return world;
}

async function refusals(world: World): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const entry of world.railyard.journal.read({})) if (entry.type === 'decision.refused') entries.push(entry);
  return entries;
}

async function stored(world: World) {
  return {
    environments: await world.railyard.environments.list(),
    deployments: await world.railyard.deployments.history('production'),
  };
}

describe('operator actions fail closed', () => {
  it('refuses rollback and resume when the policy names no operator role, and changes nothing', async () => {
    const world = await haltedProduction();
    // No approvals, no operatorRoles: nobody may operate production, whatever roles they hold.
    await withPolicy(world, { approvals: { required: 0, roles: [] } });
    const before = await stored(world);
    const everyone = { id: 'root', roles: ['ops', 'admin', 'system'] };
    await expect(world.railyard.rollback('production', { by: everyone, reason: 'go back' })).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      rule: 'actor-role',
      details: { actor: 'root', action: 'roll back production', roles: [] },
    });
    await expect(world.railyard.resume('production', { by: everyone })).rejects.toMatchObject({
      rule: 'actor-role',
      details: { actor: 'root', action: 'resume production', roles: [] },
    });
    expect(await stored(world)).toEqual(before);
  });

  it("lets anyone operate only when the policy says '*' explicitly, and warns that production is open", async () => {
    const world = await haltedProduction();
    const warnings: EnvironmentWarning[] = [];
    world.railyard.events.on('environment.warning', (warning) => warnings.push(warning));
    await withPolicy(world, { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['*'] });
    expect(warnings).toEqual([
      expect.objectContaining({ environment: 'production', code: 'open-roles', open: ['operatorRoles'] }),
    ]);
    const resumed = await world.railyard.resume('production', { by: intern, reason: 'anyone may' });
    expect(resumed.status).not.toBe('halted');
  });

  it("refuses '*' mixed with other roles, and warns on nothing when the roles are named", async () => {
    const world = await createWorld();
    const warnings: EnvironmentWarning[] = [];
    world.railyard.events.on('environment.warning', (warning) => warnings.push(warning));
    await expect(withPolicy(world, { operatorRoles: ['ops', '*'] })).rejects.toMatchObject({ code: 'VALIDATION' });
    await withPolicy(world, { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] });
    // design is not production-like: production promotes from it.
    await world.railyard.environments.define({ id: 'design', policy: { operatorRoles: ['*'] } });
    expect(warnings).toEqual([]);
  });

  it('refuses cancelling or abandoning someone else’s request when no operator role is named', async () => {
    const world = await createWorld();
    await world.railyard.environments.define({
      id: 'qa',
      promotesFrom: ['design'],
      policy: { requireUpstream: false },
      variables: { REGION: 'qa' },
      connections: { warehouse: 'qa-warehouse' },
    });
    const bundle = await createBundle(world.railyard, '1.0.0');
    const deployment = await world.railyard.promote({ bundle: bundle.id, to: 'qa', by: requester });
    const before = await world.railyard.deployment(deployment.id);
    await expect(world.railyard.cancel(deployment.id, { by: operator })).rejects.toMatchObject({
      rule: 'actor-role',
      details: { actor: 'operator', requestedBy: 'requester', roles: [] },
    });
    await expect(world.railyard.abandon(deployment.id, { by: operator, reason: 'stuck' })).rejects.toMatchObject({
      rule: 'actor-role',
      details: { actor: 'operator', roles: [] },
    });
    expect(await world.railyard.deployment(deployment.id)).toEqual(before);
    // Its requester still may (compared normalised: the display form differs).
    const cancelled = await world.railyard.cancel(deployment.id, { by: { id: ' REQUESTER ', roles: [] } });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { by: { id: 'REQUESTER' } } });
  });
});

describe('refused decisions are journaled', () => {
  it('records a refused approval, rollback and resume with actor, rule and target', async () => {
    const world = await haltedProduction();
    await expect(world.railyard.rollback('production', { by: intern, reason: 'x' })).rejects.toMatchObject({
      rule: 'actor-role',
    });
    await expect(world.railyard.resume('production', { by: requester })).rejects.toMatchObject({ rule: 'actor-role' });
    const entries = await refusals(world);
    expect(entries).toEqual([
      expect.objectContaining({
        actor: intern,
        subject: { kind: 'environment', id: 'production' },
        environment: 'production',
        data: expect.objectContaining({ rule: 'actor-role', action: 'rollback', suppressed: 0 }),
        reason: expect.stringContaining('intern may not roll back production'),
      }),
      expect.objectContaining({ actor: requester, data: expect.objectContaining({ action: 'resume' }) }),
    ]);
    expect((await world.railyard.journal.verify()).ok).toBe(true);
  });

  it('records a refused approval naming the actor, including a digest mismatch', async () => {
    const world = await createWorld();
    const bundle = await createBundle(world.railyard, '1.0.0');
    await world.railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await world.railyard.settle();
    const deployment = await world.railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    const other = await createBundle(world.railyard, '9.9.9');
    await expect(world.railyard.approve(deployment.id, { by: operator, bundle: other.id })).rejects.toMatchObject({
      rule: 'approval-digest',
      details: { actor: 'operator', deploymentId: deployment.id, expected: bundle.id, got: other.id },
    });
    expect(await refusals(world)).toEqual([
      expect.objectContaining({
        actor: operator,
        deploymentId: deployment.id,
        subject: { kind: 'deployment', id: deployment.id },
        data: expect.objectContaining({ rule: 'approval-digest', action: 'approve' }),
      }),
    ]);
    expect((await world.railyard.deployment(deployment.id))?.approvals).toEqual([]);
  });

  it('records a refused freeze override', async () => {
    const world = await createWorld();
    await withPolicy(world, {
      approvals: { required: 1, roles: ['ops'] },
      operatorRoles: ['ops'],
      freeze: { windows: [{ from: '2026-03-01T00:00:00.000Z', until: '2026-03-09T00:00:00.000Z' }] },
    });
    const bundle = await createBundle(world.railyard, '1.0.0');
    await world.railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await world.railyard.settle();
    await expect(
      world.railyard.promote({ bundle: bundle.id, to: 'production', by: operator, freezeOverride: { reason: 'now' } }),
    ).rejects.toMatchObject({ rule: 'freeze-override', details: { actor: 'operator', roles: [] } });
    expect(await refusals(world)).toEqual([
      expect.objectContaining({ actor: operator, data: expect.objectContaining({ rule: 'freeze-override' }) }),
    ]);
    expect(await world.railyard.deployments.history('production')).toEqual([]);
  });

  it('keeps a flood of refusals to one entry per actor, rule and target per minute, counting the rest', async () => {
    const world = await haltedProduction();
    for (let i = 0; i < 50; i++) {
      await expect(world.railyard.rollback('production', { by: intern, reason: 'flood' })).rejects.toMatchObject({
        rule: 'actor-role',
      });
    }
    // Another actor is another window.
    await expect(world.railyard.rollback('production', { by: requester, reason: 'x' })).rejects.toThrow();
    expect(await refusals(world)).toHaveLength(2);
    await world.clock.advance(59_000);
    await expect(world.railyard.rollback('production', { by: intern, reason: 'flood' })).rejects.toThrow();
    expect(await refusals(world)).toHaveLength(2);
    await world.clock.advance(1_000);
    await expect(
      world.railyard.rollback('production', { by: { id: ' INTERN ', roles: ['viewer'] }, reason: 'flood' }),
    ).rejects.toThrow();
    const entries = await refusals(world);
    expect(entries).toHaveLength(3);
    expect(entries[2]).toMatchObject({ actor: { id: 'INTERN' }, data: { suppressed: 50, rule: 'actor-role' } });
  });
});
