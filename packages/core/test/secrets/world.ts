import {
  createRailyard,
  defineStep,
  fileStateStore,
  memoryBlobStore,
  memoryStateStore,
  type Railyard,
  type RailyardEventName,
  type SecretContext,
} from '@railyard/core';
import type { StateStore } from '@railyard/core/adapters';
import { createFakeClock, type FakeClock } from '@railyard/core/testing';
import { z } from 'zod';

export const designer = { id: 'designer', roles: ['dev'] };
export const requester = { id: 'requester', roles: ['dev'] };
export const operator = { id: 'operator', roles: ['ops'] };

/** Values only the resolver knows; none may be found anywhere Railyard writes, emits or returns. */
export const VAULT = {
  'prod-db-password-v1': 'pw-v1-7c1f3a9e05d24b8f-never-stored',
  'prod-db-password-v2': 'pw-v2-0b5e22d4c1aa4f61-never-stored',
  'prod-warehouse-dsn': 'dsn-user-9d41e8f2b7c3-never-stored',
  'design-db-password': 'pw-design-53aa07e1d9c2-never-stored',
} as const;

/** What host code received, by who received it. */
export interface Received {
  activation: string[];
  probe: string[];
  step: string[];
  resolverCalls: string[];
}

export interface SecretsWorld {
  railyard: Railyard;
  clock: FakeClock;
  store: StateStore;
  received: Received;
  /** Every event emitted and every notification delivered, as JSON. */
  emitted: string[];
  notified: string[];
  vault: Map<string, string>;
}

const EVENTS: RailyardEventName[] = [
  'deployment.transition',
  'environment.status',
  'verification.result',
  'journal.appended',
  'remote.deployment',
  'scenario.run',
  'scenario.step',
  'scenario.report',
];

/**
 * design → production. Production's DB_PASSWORD and its warehouse remap are secret references;
 * the activation hook, the `db` probe and the verification step `smoke` record what they receive.
 */
export async function secretsWorld(kind: 'memory' | 'file', dir?: string): Promise<SecretsWorld> {
  const clock = createFakeClock('2026-03-02T09:00:00.000Z');
  const store = kind === 'memory' ? memoryStateStore() : await fileStateStore({ dir: dir as string });
  const vault = new Map<string, string>(Object.entries(VAULT));
  const received: Received = { activation: [], probe: [], step: [], resolverCalls: [] };
  const emitted: string[] = [];
  const notified: string[] = [];
  const railyard = createRailyard({
    store,
    blobs: memoryBlobStore(),
    clock,
    secrets: {
      resolve: (name: string, context: SecretContext) => {
        received.resolverCalls.push(`${context.purpose}:${context.environment}:${name}`);
        return vault.get(name);
      },
    },
    activate: ({ deployment, snapshot }) => {
      if (deployment.environment === 'production') received.activation.push(snapshot.variables.DB_PASSWORD ?? '');
    },
    probes: {
      db: ({ snapshot }) => {
        received.probe.push(snapshot.connections.warehouse ?? '');
        return 'pass';
      },
    },
    steps: {
      smoke: defineStep({
        params: z.object({}),
        run: ({ snapshot }) => void received.step.push(snapshot?.variables.DB_PASSWORD ?? ''),
      }),
    },
    notifiers: [{ notify: async (n) => void notified.push(JSON.stringify(n)) }],
  });
  for (const name of EVENTS) railyard.events.on(name, (event: unknown) => void emitted.push(JSON.stringify(event)));
  const policy = { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] };
  await railyard.environments.define({
    id: 'design',
    policy: { allowDowngrade: true, operatorRoles: ['ops'] },
    variables: { DB_PASSWORD: { secret: 'design-db-password' } },
    connections: { warehouse: 'dev-warehouse' },
  });
  await railyard.environments.define({
    id: 'production',
    promotesFrom: ['design'],
    policy: { ...policy, autoRollback: { enabled: false } },
    variables: { REGION: 'eu-west-1', DB_PASSWORD: { secret: 'prod-db-password-v1' } },
    connections: { warehouse: { secret: 'prod-warehouse-dsn' } },
    verification: {
      scenarios: [{ id: 'smoke', steps: [{ type: 'smoke', params: {} }] }],
      monitors: [{ id: 'db', probe: 'db', intervalMs: 60_000 }],
      bakeTimeMs: 3 * 60_000,
      watchMs: 60 * 60_000,
    },
  });
  return { railyard, clock, store, received, emitted, notified, vault };
}

/** Promotes a version through design into production, approves it and lets it bake. */
export async function ship(world: SecretsWorld, version: string) {
  const { railyard } = world;
  const bundle = await railyard.bundles.create({
    project: 'churn',
    version,
    entries: [{ path: 'model.bin', content: `model ${version}` }],
    requirements: { variables: ['DB_PASSWORD'], connections: ['warehouse'], stepTypes: ['smoke'] },
    createdBy: designer,
  });
  await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
  await railyard.settle();
  const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
  await railyard.approve(deployment.id, { by: operator, bundle: bundle.id });
  await bake(world);
  return { bundle, deployment };
}

/** Lets monitors bake in monitor-sized steps. */
export async function bake(world: SecretsWorld, minutes = 4): Promise<void> {
  await world.railyard.settle();
  for (let i = 0; i < minutes; i++) {
    await world.clock.advance(60_000);
    await world.railyard.settle();
  }
}
