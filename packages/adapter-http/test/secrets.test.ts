import { createAgent, serveAgent } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import { describe, expect, it } from 'vitest';
import { AUDIENCE, SECRETS, signedFetch, testKeys } from './helpers.js';

const VALUES = {
  'prod-db-password': 'pw-1f0c9e7a22b84d3d-never-returned',
  'prod-warehouse': 'dsn-a83b0d6e-never-returned',
};

/** Reads a server-sent event stream until it holds `until`, then hangs up. */
async function readStream(response: Response, until: string): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(until)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe('secret references behind the agent', () => {
  it('are answered over HTTP as references; the activation hook alone receives the values', async () => {
    const clock = createFakeClock('2026-03-02T09:00:00.000Z');
    const activated: string[] = [];
    const store = memoryStateStore();
    const production = createRailyard({
      store,
      blobs: memoryBlobStore(),
      clock,
      secrets: { resolve: (name) => VALUES[name as keyof typeof VALUES] },
      activate: ({ snapshot }) =>
        void activated.push(`${snapshot.variables.DB_PASSWORD}|${snapshot.connections.warehouse}`),
    });
    await production.environments.define({
      id: 'production',
      policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
      variables: { REGION: 'eu-west-1', DB_PASSWORD: { secret: 'prod-db-password' } },
      connections: { warehouse: { secret: 'prod-warehouse' } },
    });
    const agent = createAgent(production, { keys: testKeys(), audience: AUDIENCE, store, clock, onError: () => {} });
    const served = await serveAgent(agent, { graceMs: 1_000 });
    try {
      const bundle = await production.bundles.create({
        project: 'churn',
        version: '1.0.0',
        entries: [{ path: 'model.bin', content: 'model' }],
        createdBy: { id: 'dana', roles: ['data-scientist'] },
      });
      const requested = await production.promote({
        bundle: bundle.id,
        to: 'production',
        by: { id: 'rory', roles: [] },
      });
      await production.approve(requested.id, { by: { id: 'olga', roles: ['ops'] }, bundle: bundle.id });
      await production.settle();
      expect((await production.deployment(requested.id))?.status).toBe('active');
      expect(activated).toEqual([`${VALUES['prod-db-password']}|${VALUES['prod-warehouse']}`]);

      const read = (target: string) =>
        signedFetch(served.url, { method: 'GET', target, keyId: 'reader', secret: SECRETS.reader, now: clock.now() });
      const bodies: string[] = [];
      for (const target of [
        '/v1/environments',
        `/v1/deployments/${encodeURIComponent(requested.id)}`,
        '/v1/environments/production/deployments',
        `/v1/plan?bundle=${encodeURIComponent(bundle.id)}&to=production`,
        `/v1/plan?deployment=${encodeURIComponent(requested.id)}`,
      ]) {
        const response = await read(target);
        expect(response.status, target).toBe(200);
        bodies.push(await response.text());
      }
      const head = await production.journal.head();
      const events = await read('/v1/events');
      expect(events.status).toBe(200);
      bodies.push(await readStream(events, `id: ${head.seq}\n`));

      for (const body of bodies) {
        expect(body).toContain('prod-db-password');
        for (const value of Object.values(VALUES)) expect(body).not.toContain(value);
      }
      expect(bodies[0]).toContain('"DB_PASSWORD":{"secret":"prod-db-password"}');
    } finally {
      await served.close();
      await production.close();
    }
  });
});
