import { describe, expect, it } from 'vitest';
import { bake, createBundle, createWorld, designer, intern, operator, operator2, requester } from './fixtures.js';

async function awaitingApproval(approvals = 1) {
  const world = await createWorld({ approvals });
  const bundle = await createBundle(world.railyard, '1.0.0');
  await world.railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
  await world.railyard.settle();
  const deployment = await world.railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
  return { ...world, bundle, deployment };
}

describe('approvals', () => {
  it('refuses the requester approving their own promotion (separation of duties)', async () => {
    const { railyard, deployment } = await awaitingApproval();
    await expect(railyard.approve(deployment.id, { by: { ...requester, roles: ['ops'] } })).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      rule: 'separation-of-duties',
      details: { as: 'requester' },
    });
    expect((await railyard.deployment(deployment.id))?.status).toBe('awaiting_approval');
  });

  it("refuses the bundle's author approving its promotion", async () => {
    const { railyard, deployment } = await awaitingApproval();
    await expect(railyard.approve(deployment.id, { by: { ...designer, roles: ['ops'] } })).rejects.toMatchObject({
      rule: 'separation-of-duties',
      details: { as: 'author' },
    });
  });

  it('refuses an approver without the required role', async () => {
    const { railyard, deployment } = await awaitingApproval();
    await expect(railyard.approve(deployment.id, { by: intern })).rejects.toMatchObject({ rule: 'approver-role' });
    expect((await railyard.deployment(deployment.id))?.approvals).toEqual([]);
  });

  it('binds an approval to the bundle digest the approver reviewed', async () => {
    const { railyard, deployment } = await awaitingApproval();
    const other = await createBundle(railyard, '9.9.9');
    await expect(railyard.approve(deployment.id, { by: operator, bundle: other.id })).rejects.toMatchObject({
      rule: 'approval-digest',
    });
    const approved = await railyard.approve(deployment.id, { by: operator, bundle: deployment.bundleId });
    expect(approved.approvals[0]).toMatchObject({ by: operator, bundleId: deployment.bundleId });
  });

  it('needs N distinct approvers when the policy asks for N', async () => {
    const { railyard, deployment } = await awaitingApproval(2);
    const once = await railyard.approve(deployment.id, { by: operator });
    expect(once.status).toBe('awaiting_approval');
    await expect(railyard.approve(deployment.id, { by: operator })).rejects.toMatchObject({
      rule: 'distinct-approvers',
    });
    const twice = await railyard.approve(deployment.id, { by: operator2 });
    expect(twice.status).toBe('approved');
    expect(twice.approvals.map((a) => a.by.id)).toEqual(['operator', 'operator-2']);
  });

  it('ends a rejected deployment and frees the queue', async () => {
    const world = await awaitingApproval();
    const { railyard, deployment } = world;
    await expect(railyard.reject(deployment.id, { by: intern })).rejects.toMatchObject({ rule: 'approver-role' });
    const rejected = await railyard.reject(deployment.id, { by: operator, comment: 'not during the audit' });
    expect(rejected).toMatchObject({ status: 'rejected', rejection: { by: operator, reason: 'not during the audit' } });
    expect((await railyard.environments.get('production'))?.queue).toEqual([]);
    await expect(railyard.approve(deployment.id, { by: operator })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    await bake(world);
    expect((await railyard.environments.get('production'))?.active).toBeNull();
  });

  it('lets the requester cancel a waiting deployment, and nobody else without a role', async () => {
    const { railyard, deployment } = await awaitingApproval();
    await expect(railyard.cancel(deployment.id, { by: intern })).rejects.toMatchObject({ rule: 'actor-role' });
    const cancelled = await railyard.cancel(deployment.id, { by: requester, reason: 'wrong bundle' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { by: requester, reason: 'wrong bundle' } });
    expect((await railyard.environments.get('production'))?.queue).toEqual([]);
  });
});
