import { describe, expect, it } from 'vitest';
import { createBundle, createWorld, designer } from './fixtures.js';

const alice = { id: 'alice', roles: ['dev', 'ops'] };
/** The same person written three other ways: padded and capitalised, full-width, upper case. */
const aliases = [' Alice ', 'ａｌｉｃｅ', 'ALICE'];

async function requestedByAlice() {
  const world = await createWorld({ approvals: 2 });
  const bundle = await createBundle(world.railyard, '1.0.0');
  await world.railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
  await world.railyard.settle();
  const deployment = await world.railyard.promote({ bundle: bundle.id, to: 'production', by: alice });
  return { ...world, bundle, deployment };
}

describe('actor ids are compared normalised (trim, NFKC, case-fold)', () => {
  it.each(aliases)('refuses %j approving what alice requested (separation of duties)', async (alias) => {
    const { railyard, deployment } = await requestedByAlice();
    await expect(railyard.approve(deployment.id, { by: { id: alias, roles: ['ops'] } })).rejects.toMatchObject({
      rule: 'separation-of-duties',
      details: { as: 'requester', actor: alias.trim() },
    });
    expect((await railyard.deployment(deployment.id))?.approvals).toEqual([]);
  });

  it('refuses the author under another spelling', async () => {
    const { railyard, deployment } = await requestedByAlice();
    await expect(
      railyard.approve(deployment.id, { by: { id: 'ＤＥＳＩＧＮＥＲ', roles: ['ops'] } }),
    ).rejects.toMatchObject({
      rule: 'separation-of-duties',
      details: { as: 'author' },
    });
  });

  it('counts one person once among approvers, and keeps the display form in the record', async () => {
    const { railyard, deployment } = await requestedByAlice();
    const once = await railyard.approve(deployment.id, { by: { id: 'Ｏｌｇａ', roles: ['ops'] } });
    expect(once.approvals.map((approval) => approval.by.id)).toEqual(['Ｏｌｇａ']);
    await expect(railyard.approve(deployment.id, { by: { id: ' OLGA', roles: ['ops'] } })).rejects.toMatchObject({
      rule: 'distinct-approvers',
    });
    const twice = await railyard.approve(deployment.id, { by: { id: 'olaf', roles: ['ops'] } });
    expect(twice).toMatchObject({ status: 'approved', requestedBy: { id: 'alice' } });
  });

  it('refuses a blank id', async () => {
    const { railyard, deployment } = await requestedByAlice();
    await expect(railyard.approve(deployment.id, { by: { id: '   ', roles: ['ops'] } })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});
