import { createHash } from 'node:crypto';
import { createAgentClient, httpTransport } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import type { BlobStore } from '@railyard/core/adapters';
import { BlobIntegrityError, IllegalTransitionError, PolicyError } from '@railyard/core/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUDIENCE, designer, type ProductionSite, requester, SECRETS, startProduction } from './helpers.js';

let site: ProductionSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

/** A design site whose transport counts the requests it makes, and an ops client, against one agent. */
async function twoSites() {
  // Blob bodies go out through undici, not fetch: count them where they land.
  const stored = memoryBlobStore();
  const requests: string[] = [];
  const blobs: BlobStore = {
    ...stored,
    put(source, options) {
      requests.push(`PUT /v1/blobs/${options?.digest}`);
      return stored.put(source, options);
    },
  };
  site = await startProduction({ blobs });
  const counting: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return fetch(input, init);
  };
  const transport = httpTransport({
    audience: AUDIENCE,
    url: site.url,
    keyId: 'design',
    secret: SECRETS.design,
    clock: site.clock,
    fetch: counting,
  });
  const design = createRailyard({
    store: memoryStateStore(),
    blobs: memoryBlobStore(),
    clock: site.clock,
    transport,
    remotePollMs: 0,
  });
  await design.environments.define({ id: 'design' });
  await design.environments.define({ id: 'production', remote: true });
  const ops = createAgentClient({
    audience: AUDIENCE,
    url: site.url,
    keyId: 'ops',
    secret: SECRETS.ops,
    clock: site.clock,
  });
  return { site, design, transport, ops, requests, production: site.production };
}

const bundleInput = (version: string, model: string) => ({
  project: 'churn',
  version,
  entries: [
    { path: 'pipelines/score.sql', content: 'select * from customers' },
    { path: 'models/churn.bin', content: model },
  ],
  createdBy: designer,
});

describe('two sites over HTTP on 127.0.0.1', () => {
  it('promotes into production’s own stores, approved there by an ops key, and the status flows back', async () => {
    const { design, ops, production } = await twoSites();
    const bundle = await design.bundles.create(bundleInput('1.0.0', 'weights-1'));
    const remote = await design.promote({
      bundle: bundle.id,
      to: 'production',
      by: requester,
      reason: 'quarterly model',
    });
    expect(remote).toMatchObject({ status: 'awaiting_approval', bundleId: bundle.id });
    expect(await production.bundles.get(bundle.id)).toMatchObject({ id: bundle.id });
    // The design key acts for the person who asked, with the key's roles, never the caller's.
    expect((await production.deployment(remote.id))?.requestedBy).toEqual({
      id: requester.id,
      roles: ['designer'],
      via: 'design-site',
    });

    const plan = await ops.plan({ deployment: remote.id });
    expect(plan.bundle.id).toBe(bundle.id);
    const wrongDigest = ops.approve(remote.id, { bundle: `sha256:${'1'.repeat(64)}` });
    await expect(wrongDigest).rejects.toBeInstanceOf(PolicyError);
    await expect(wrongDigest).rejects.toMatchObject({ rule: 'approval-digest' });
    await ops.approve(remote.id, { bundle: bundle.id, comment: 'reviewed the plan' });
    await production.settle();
    await design.settle();

    const [tracked] = await design.remoteDeployments('production');
    expect(tracked).toMatchObject({ remoteId: remote.id, status: 'active', bundleId: bundle.id });
    // Engine errors cross the network as their own classes (409 on the wire).
    await expect(ops.approve(remote.id, { bundle: bundle.id })).rejects.toBeInstanceOf(IllegalTransitionError);
    const types: string[] = [];
    for await (const entry of design.journal.read()) types.push(entry.type);
    expect(types).toEqual(expect.arrayContaining(['remote.promotion.requested', 'remote.deployment.status']));
    const approval = (await production.deployment(remote.id)) as { approvals?: Array<{ by: { id: string } }> };
    expect(approval.approvals?.[0]?.by.id).toBe('olga');
    expect(await production.journal.verify()).toMatchObject({ ok: true });
  });

  it('sends only the blobs production lacks, nothing but the manifest when nothing changed, and promotes once per key', async () => {
    const { design, requests, production } = await twoSites();
    const v1 = await design.bundles.create(bundleInput('1.0.0', 'weights-1'));
    const first = await design.promote({ bundle: v1.id, to: 'production', by: requester, idempotencyKey: 'churn-1' });
    expect(requests.filter((r) => r.startsWith('PUT /v1/blobs/'))).toHaveLength(2);
    requests.length = 0;
    const again = await design.promote({ bundle: v1.id, to: 'production', by: requester, idempotencyKey: 'churn-1' });
    expect(again.id).toBe(first.id);
    expect(requests.filter((r) => r.startsWith('PUT /v1/blobs/'))).toEqual([]);
    expect(requests.filter((r) => r.startsWith('HEAD '))).toHaveLength(2);
    expect(await production.history('production')).toHaveLength(1);

    await production.reject(first.id, { by: { id: 'olga', roles: ['ops'] }, comment: 'superseded by 1.1' });
    requests.length = 0;
    const v2 = await design.bundles.create(bundleInput('1.1.0', 'weights-2'));
    await design.promote({ bundle: v2.id, to: 'production', by: requester });
    expect(requests.filter((r) => r.startsWith('PUT /v1/blobs/'))).toHaveLength(1);
  });

  it('rolls production back by hand with an ops key, and the design site sees it', async () => {
    const { design, ops, production } = await twoSites();
    const ship = async (version: string) => {
      const bundle = await design.bundles.create(bundleInput(version, `weights-${version}`));
      const remote = await design.promote({ bundle: bundle.id, to: 'production', by: requester });
      await ops.approve(remote.id, { bundle: bundle.id });
      await production.settle();
      return remote.id;
    };
    const v1 = await ship('1.0.0');
    const v2 = await ship('1.1.0');
    const rollback = await ops.rollback('production', { reason: 'error rate up after 1.1.0', to: v1 });
    expect(rollback.kind).toBe('rollback');
    await production.settle();
    await design.settle();
    expect((await production.environments.get('production'))?.active?.deploymentId).toBe(rollback.id);
    const statuses = Object.fromEntries(
      (await design.remoteDeployments('production')).map((r) => [r.remoteId, r.status]),
    );
    expect(statuses[v1]).toBe('superseded');
    expect(statuses[v2]).not.toBe('active');
    expect((await ops.history('production')).map((d) => d.id)).toEqual([rollback.id, v2, v1]);
  });

  it('streams the journal as server-sent events, live, and resumes after the last entry seen', async () => {
    const { design, ops, production } = await twoSites();
    const bundle = await design.bundles.create(bundleInput('1.0.0', 'weights-1'));
    const remote = await design.promote({ bundle: bundle.id, to: 'production', by: requester });
    const stop = new AbortController();
    const seen: Array<{ seq: number; type: string; to?: unknown }> = [];
    const follow = (async () => {
      for await (const entry of ops.events({ signal: stop.signal })) {
        seen.push({ seq: entry.seq, type: entry.type, to: entry.data.to });
        if (entry.type === 'deployment.transition' && entry.data.to === 'active') stop.abort();
      }
    })();
    // Once the stream has caught up with the backlog, what follows can only arrive live.
    const backlog = (await production.journal.head()).seq;
    await vi.waitFor(() => expect(seen.at(-1)?.seq).toBe(backlog));
    await ops.approve(remote.id, { bundle: bundle.id });
    await production.settle();
    await follow;
    const all: number[] = [];
    for await (const entry of production.journal.read()) all.push(entry.seq);
    expect(seen.map((e) => e.seq)).toEqual(all.slice(0, seen.length));
    // Entries committed after the stream opened arrived live.
    expect(seen.filter((e) => e.type === 'deployment.transition').map((e) => e.to)).toEqual(
      expect.arrayContaining(['awaiting_approval', 'approved', 'active']),
    );

    const resumed: number[] = [];
    const last = seen[2]?.seq ?? 0;
    const again = new AbortController();
    for await (const entry of ops.events({ after: last, signal: again.signal })) {
      resumed.push(entry.seq);
      if (entry.seq === all.at(-1)) again.abort();
    }
    expect(resumed).toEqual(all.filter((seq) => seq > last));
  });

  it('behaves as a Transport: missing blobs, streamed pushes, typed refusals, unknown deployments', async () => {
    const { transport, production } = await twoSites();
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) % 251);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    expect(await transport.missingBlobs([digest, digest])).toEqual([digest]);
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += 100_000) yield bytes.subarray(at, at + 100_000);
    }
    await transport.pushBlob({ digest, size: bytes.length }, chunks());
    expect(await transport.missingBlobs([digest])).toEqual([]);
    expect(await production.site.missingBlobs([digest])).toEqual([]);

    const manifestOf = await createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() }).bundles.create(
      bundleInput('9.0.0', 'never pushed'),
    );
    await expect(transport.pushBundle(manifestOf.manifest)).rejects.toBeInstanceOf(BlobIntegrityError);
    expect(await transport.getDeployment('production/999999')).toBeNull();
  });

  it('answers a 429 with a retryable error carrying Retry-After; once that time has passed the call succeeds', async () => {
    site = await startProduction({ limits: { rate: { requests: 1, perSeconds: 10 } } });
    const client = createAgentClient({
      audience: AUDIENCE,
      url: site.url,
      keyId: 'reader',
      secret: SECRETS.reader,
      clock: site.clock,
    });
    expect(await client.environments()).toHaveLength(2);
    // The client does not wait: it says how long to, and the core's guard (or the caller) retries.
    await expect(client.environments()).rejects.toMatchObject({
      code: 'ADAPTER',
      retryable: true,
      details: { httpStatus: 429, retryAfterSeconds: 10 },
    });
    await site.clock.advance(10_000);
    expect(await client.environments()).toHaveLength(2);
  });
});
