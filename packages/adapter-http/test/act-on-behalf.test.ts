import { type AgentKey, createAgent, httpTransport } from '@railyard/adapter-http';
import { createRailyard, type JournalEntry, memoryBlobStore, memoryStateStore, type Railyard } from '@railyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE, designer, type ProductionSite, requester, SECRETS, startProduction, testKeys } from './helpers.js';

let site: ProductionSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

/** The design key may name rory and dana only. */
function keys(): AgentKey[] {
  return testKeys().map((key) => (key.id === 'design' ? { ...key, actOnBehalfOf: ['rory', 'dana'] } : key));
}

async function designSite(production: ProductionSite): Promise<Railyard> {
  const transport = httpTransport({
    url: production.url,
    keyId: 'design',
    secret: SECRETS.design,
    audience: AUDIENCE,
    clock: production.clock,
  });
  const design = createRailyard({
    store: memoryStateStore(),
    blobs: memoryBlobStore(),
    clock: production.clock,
    transport,
  });
  await design.environments.define({ id: 'production', remote: true });
  return design;
}

async function journal(railyard: Railyard): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const entry of railyard.journal.read({})) entries.push(entry);
  return entries;
}

const bundleInput = (version: string) => ({
  project: 'churn',
  version,
  entries: [{ path: 'models/churn.bin', content: `weights ${version}` }],
  createdBy: designer,
});

describe('a key acting on behalf of people', () => {
  it('refuses naming a person outside its allow-list (the production approver): no deployment is recorded', async () => {
    site = await startProduction({ keys: keys() });
    const design = await designSite(site);
    const bundle = await design.bundles.create(bundleInput('1.0.0'));
    await expect(
      design.promote({ bundle: bundle.id, to: 'production', by: { id: 'olga', roles: ['ops'] } }),
    ).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      details: { reason: 'act-on-behalf-not-allowed', keyId: 'design', actor: 'design-site', person: 'olga' },
    });
    expect(await site.production.history('production')).toEqual([]);
    // The allow-list is compared normalised; the record keeps what was written.
    const remote = await design.promote({ bundle: bundle.id, to: 'production', by: { id: ' RORY ', roles: [] } });
    expect((await site.production.deployment(remote.id))?.requestedBy).toEqual({
      id: 'RORY',
      roles: ['designer'],
      via: 'design-site',
    });
  });

  it('records the key’s actor beside the person, and neither may approve', async () => {
    site = await startProduction({ keys: keys() });
    const design = await designSite(site);
    const bundle = await design.bundles.create(bundleInput('1.0.0'));
    const remote = await design.promote({ bundle: bundle.id, to: 'production', by: requester });
    const requested = (await journal(site.production)).find((entry) => entry.type === 'deployment.requested');
    expect(requested?.actor).toEqual({ id: 'rory', roles: ['designer'], via: 'design-site' });
    for (const id of ['rory', 'Design-Site']) {
      await expect(site.production.approve(remote.id, { by: { id, roles: ['ops'] } })).rejects.toMatchObject({
        rule: 'separation-of-duties',
        details: { as: 'requester', actor: id },
      });
    }
    expect((await site.production.deployment(remote.id))?.approvals).toEqual([]);
    const approved = await site.production.approve(remote.id, { by: { id: 'olga', roles: ['ops'] } });
    expect(approved.status).toBe('approved');
  });

  it('records the pushing key’s actor on the bundle, whatever createdBy it declares, and it counts as an author', async () => {
    site = await startProduction({ keys: keys() });
    const design = await designSite(site);
    const bundle = await design.bundles.create(bundleInput('1.0.0'));
    await design.promote({ bundle: bundle.id, to: 'production', by: requester });
    const stored = await site.production.bundles.get(bundle.id);
    expect(stored).toMatchObject({ manifest: { createdBy: 'dana' }, pushedBy: { id: 'design-site' } });
    const created = (await journal(site.production)).find((entry) => entry.type === 'bundle.created');
    expect(created).toMatchObject({
      actor: { id: 'design-site' },
      data: { createdBy: 'dana', pushedBy: 'design-site' },
    });
    // A promotion asked for on production itself: the key's actor still may not approve it.
    const local = await site.production.promote({ bundle: bundle.id, to: 'production', by: { id: 'paul', roles: [] } });
    await expect(
      site.production.approve(local.id, { by: { id: 'design-site', roles: ['ops'] } }),
    ).rejects.toMatchObject({ rule: 'separation-of-duties', details: { as: 'author' } });
  });

  it('is refused at agent creation on a key that may also approve, roll back, resume, abandon or silence', async () => {
    const store = memoryStateStore();
    const production = createRailyard({ store, blobs: memoryBlobStore() });
    const base = testKeys()[0] as AgentKey;
    for (const action of ['approve', 'rollback', 'resume', 'abandon', 'silence'] as const) {
      expect(() =>
        createAgent(production, { keys: [{ ...base, actions: ['promote', action] }], audience: AUDIENCE, store }),
      ).toThrow(expect.objectContaining({ code: 'VALIDATION', details: { keyId: 'design', actions: [action] } }));
    }
    expect(() =>
      createAgent(production, {
        keys: [{ ...base, actOnBehalf: false, actOnBehalfOf: ['rory'] }],
        audience: AUDIENCE,
        store,
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
