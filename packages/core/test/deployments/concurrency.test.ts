import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import type { JournalEntry } from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import { describe, expect, it } from 'vitest';
import { checkJournalInvariants } from './invariants.js';

const dev = { id: 'dev', roles: [] };

describe('two engines racing on one store', () => {
  it('never has two deployments in flight or active in one environment, and finishes every promotion', async () => {
    const store = memoryStateStore();
    const blobs = memoryBlobStore();
    const clock = createFakeClock();
    const engines = [createRailyard({ store, blobs, clock }), createRailyard({ store, blobs, clock })];
    const [a, b] = engines as [(typeof engines)[0], (typeof engines)[0]];
    const environments = ['e1', 'e2', 'e3', 'e4'];
    for (const id of environments) await a.environments.define({ id });
    const bundle = await a.bundles.create({
      project: 'p',
      version: '1.0.0',
      entries: [{ path: 'f', content: 'x' }],
      createdBy: dev,
    });

    const requests = environments.flatMap((to) =>
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).promote({ bundle: bundle.id, to, by: dev })),
    );
    const settling = Promise.all([a.settle(), b.settle(), a.settle(), b.settle()]);
    const deployments = await Promise.all(requests);
    await settling;
    await Promise.all([a.settle(), b.settle()]);

    expect(new Set(deployments.map((d) => d.id)).size).toBe(40);
    const entries: JournalEntry[] = [];
    for await (const entry of store.readJournal()) entries.push(entry);
    const finalStatus = checkJournalInvariants(entries);
    for (const d of deployments) expect(['active', 'superseded']).toContain(finalStatus.get(d.id));
    for (const id of environments) {
      const env = await a.environments.get(id);
      expect(env).toMatchObject({ inFlight: null, queue: [] });
      expect(finalStatus.get(env!.active!.deploymentId)).toBe('active');
    }
    expect(await a.journal.verify()).toMatchObject({ ok: true, entries: entries.length });
  });

  it('runs each verification scenario once even when both engines try', async () => {
    const store = memoryStateStore();
    const blobs = memoryBlobStore();
    const clock = createFakeClock();
    const runs: string[] = [];
    const steps = {
      check: {
        params: (await import('zod')).z.object({}),
        run: async ({ idempotencyKey }: { idempotencyKey: string }) => {
          runs.push(idempotencyKey);
          await new Promise((resolve) => setImmediate(resolve));
        },
      },
    };
    const a = createRailyard({ store, blobs, clock, steps });
    const b = createRailyard({ store, blobs, clock, steps });
    await a.environments.define({
      id: 'prod',
      verification: { scenarios: [{ id: 'check', steps: [{ type: 'check' }] }] },
    });
    const bundle = await a.bundles.create({ project: 'p', version: '1.0.0', entries: [], createdBy: dev });
    const deployment = await a.promote({ bundle: bundle.id, to: 'prod', by: dev });
    await Promise.all([a.settle(), b.settle()]);
    expect((await a.deployment(deployment.id))?.status).toBe('active');
    expect(runs).toEqual([`${deployment.id}:check:0`]);
  });
});
