import {
  createRailyard,
  memoryBlobStore,
  memoryStateStore,
  type Railyard,
  type RailyardOptions,
  type StepContext,
} from '@railyard/core';
import type { StateStore } from '@railyard/core/adapters';
import { createFakeClock, type FakeClock } from '@railyard/core/testing';
import { z } from 'zod';

export const designer = { id: 'designer', roles: ['dev'] };
export const requester = { id: 'requester', roles: ['dev'] };
export const operator = { id: 'operator', roles: ['ops'] };
export const operator2 = { id: 'operator-2', roles: ['ops'] };
export const intern = { id: 'intern', roles: ['viewer'] };

/** What the tests control about the running versions: which ones a monitor sees failing, and how often smoke fails. */
export interface Health {
  /** Versions whose error rate is too high while they run. */
  erroring: Set<string>;
  /** Versions whose smoke step fails, and how many more times. */
  smokeFailures: Map<string, number>;
  smokeCalls: string[];
}

export interface World {
  railyard: Railyard;
  clock: FakeClock;
  store: StateStore;
  health: Health;
}

/** design → production; production needs one `ops` approval and verifies with a smoke scenario and an error-rate monitor. */
export async function createWorld(
  options: Partial<RailyardOptions> & { approvals?: number; maxConsecutive?: number } = {},
): Promise<World> {
  const clock = createFakeClock('2026-03-02T09:00:00.000Z');
  const store = options.store ?? memoryStateStore();
  const health: Health = { erroring: new Set(), smokeFailures: new Map(), smokeCalls: [] };
  const smoke = {
    params: z.object({ path: z.string() }),
    run: ({ idempotencyKey, snapshot }: StepContext<{ path: string }>) => {
      health.smokeCalls.push(idempotencyKey);
      const version = snapshot?.version ?? '';
      const left = health.smokeFailures.get(version) ?? 0;
      if (left > 0) {
        health.smokeFailures.set(version, left - 1);
        throw new Error('smoke check returned 500');
      }
    },
  };
  const railyard = createRailyard({
    store,
    blobs: options.blobs ?? memoryBlobStore(),
    clock,
    probes: {
      'error-rate': ({ snapshot }) =>
        health.erroring.has(snapshot.version) ? { status: 'fail', detail: 'error rate 0.2' } : 'pass',
    },
    ...options,
    steps: { smoke, ...options.steps },
  });

  await railyard.environments.define({
    id: 'design',
    policy: { allowDowngrade: true },
    variables: { REGION: 'local' },
    connections: { warehouse: 'dev-warehouse' },
  });
  await railyard.environments.define({
    id: 'production',
    promotesFrom: ['design'],
    policy: {
      approvals: { required: options.approvals ?? 1, roles: ['ops'] },
      operatorRoles: ['ops'],
      autoRollback: { enabled: true, maxConsecutive: options.maxConsecutive ?? 3 },
    },
    variables: { REGION: 'eu-west-1' },
    connections: { warehouse: 'prod-warehouse' },
    verification: {
      scenarios: [
        { id: 'smoke', steps: [{ type: 'smoke', params: { path: '/health' }, retries: 1, retryDelayMs: 0 }] },
      ],
      monitors: [{ id: 'error-rate', probe: 'error-rate', intervalMs: 60_000, failAfter: 2 }],
      bakeTimeMs: 5 * 60_000,
    },
  });
  return { railyard, clock, store, health };
}

export async function createBundle(railyard: Railyard, version: string, content = `model ${version}`) {
  return railyard.bundles.create({
    project: 'churn',
    version,
    entries: [
      { path: 'model/weights.bin', content },
      { path: 'pipelines/score.sql', content: 'select 1' },
    ],
    requirements: { variables: ['REGION'], connections: ['warehouse'], stepTypes: ['smoke'] },
    releaseNotes: `release ${version}`,
    createdBy: designer,
  });
}

/** Lets monitors bake: advances the clock in monitor-sized steps, settling after each. */
export async function bake(world: World, minutes = 6): Promise<void> {
  await world.railyard.settle();
  for (let i = 0; i < minutes; i++) {
    await world.clock.advance(60_000);
    await world.railyard.settle();
  }
}

/** Builds a bundle, runs it through design, requests production and has `operator` approve it. */
export async function promoteToProduction(world: World, version: string, content?: string) {
  const { railyard } = world;
  const bundle = await createBundle(railyard, version, content);
  await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
  await railyard.settle();
  const deployment = await railyard.promote({
    bundle: bundle.id,
    to: 'production',
    by: requester,
    reason: `ship ${version}`,
  });
  await railyard.approve(deployment.id, { by: operator, bundle: bundle.id });
  return { bundle, deployment };
}
