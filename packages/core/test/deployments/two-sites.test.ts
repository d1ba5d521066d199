import { createRailyard, memoryBlobStore, memoryStateStore, memoryTransport } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import { describe, expect, it } from 'vitest';
import { designer, operator, requester } from './fixtures.js';

async function twoSites() {
  const clock = createFakeClock();
  const productionBlobs = memoryBlobStore();
  const production = createRailyard({ store: memoryStateStore(), blobs: productionBlobs, clock });
  await production.environments.define({ id: 'production', policy: { approvals: { required: 1, roles: ['ops'] } } });
  const design = createRailyard({
    store: memoryStateStore(),
    blobs: memoryBlobStore(),
    clock,
    transport: memoryTransport(production),
    remotePollMs: 0,
  });
  await design.environments.define({ id: 'design' });
  await design.environments.define({ id: 'production', remote: true });
  return { design, production, productionBlobs, clock };
}

describe('two sites in one process', () => {
  it('promotes a bundle built on design into production’s own stores, approved by production’s approvers', async () => {
    const { design, production, productionBlobs } = await twoSites();
    const bundle = await design.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'model.bin', content: 'weights' }],
      createdBy: designer,
    });
    const remote = await design.promote({
      bundle: bundle.id,
      to: 'production',
      by: requester,
      reason: 'quarterly model',
    });
    expect(remote.status).toBe('awaiting_approval');
    expect(await production.bundles.get(bundle.id)).toMatchObject({ id: bundle.id });
    expect(productionBlobs.blobs.size).toBe(1);

    // Approval happens on the production site, by the people accountable for it.
    await expect(production.approve(remote.id, { by: requester })).rejects.toMatchObject({ rule: 'approver-role' });
    await production.approve(remote.id, { by: operator, bundle: bundle.id });
    await production.settle();
    await design.settle();

    const [tracked] = await design.remoteDeployments('production');
    expect(tracked).toMatchObject({ remoteId: remote.id, status: 'active', bundleId: bundle.id });
    const types: string[] = [];
    for await (const entry of design.journal.read()) types.push(entry.type);
    expect(types).toContain('remote.promotion.requested');
    expect(types).toContain('remote.deployment.status');
    expect(await design.journal.verify()).toMatchObject({ ok: true });
    expect(await production.journal.verify()).toMatchObject({ ok: true });
  });

  it('sends only the blobs production lacks, and a repeated key promotes once', async () => {
    const { production } = await twoSites();
    let pushed = 0;
    const site = production.site;
    const counting = {
      ...site,
      putBlob: async (...args: Parameters<typeof site.putBlob>) => {
        pushed++;
        return site.putBlob(...args);
      },
    };
    const countingDesign = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      transport: memoryTransport({ site: counting }),
    });
    await countingDesign.environments.define({ id: 'production', remote: true });
    const common = { path: 'shared.sql', content: 'select 1' };
    const v1 = await countingDesign.bundles.create({
      project: 'p',
      version: '1.0.0',
      entries: [common, { path: 'a', content: '1' }],
      createdBy: designer,
    });
    const v2 = await countingDesign.bundles.create({
      project: 'p',
      version: '1.1.0',
      entries: [common, { path: 'a', content: '2' }],
      createdBy: designer,
    });
    const first = await countingDesign.promote({
      bundle: v1.id,
      to: 'production',
      by: requester,
      idempotencyKey: 'one',
    });
    expect(pushed).toBe(2);
    const again = await countingDesign.promote({
      bundle: v1.id,
      to: 'production',
      by: requester,
      idempotencyKey: 'one',
    });
    expect(again.id).toBe(first.id);
    expect(pushed).toBe(2);
    await production.reject(first.id, { by: operator, comment: 'superseded by 1.1' });
    await countingDesign.promote({ bundle: v2.id, to: 'production', by: requester });
    expect(pushed).toBe(3);
  });

  it('keeps following a remote deployment after it is active, until it is superseded', async () => {
    const { design, production } = await twoSites();
    const ids = [];
    for (const version of ['1.0.0', '1.1.0']) {
      const bundle = await design.bundles.create({
        project: 'churn',
        version,
        entries: [{ path: 'm', content: version }],
        createdBy: designer,
      });
      const remote = await design.promote({ bundle: bundle.id, to: 'production', by: requester });
      await production.approve(remote.id, { by: operator });
      await production.settle();
      await design.settle();
      ids.push(remote.id);
    }
    const tracked = Object.fromEntries(
      (await design.remoteDeployments('production')).map((r) => [r.remoteId, r.status]),
    );
    expect(tracked).toEqual({ [ids[0] as string]: 'superseded', [ids[1] as string]: 'active' });
  });

  it('refuses to define a remote environment without a transport', async () => {
    const lonely = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
    await expect(lonely.environments.define({ id: 'production', remote: true })).rejects.toMatchObject({
      code: 'CAPABILITY_MISSING',
    });
  });
});
