import { defineStep, type Probe, type Railyard } from '@railyard/core';
import { z } from 'zod';

/** Error rates the pretend production service shows for each version (1.1.0 has a bug). */
const errorRates: Record<string, number> = { '1.0.0': 0.01, '1.1.0': 0.12 };

/**
 * The step types the demo uses, in verification and in scenarios alike. In a real installation
 * `http-check` would call the service; here it only checks the snapshot it runs with has a
 * warehouse connection. `score-customers` is a nightly job that scores every customer with the
 * model running there.
 */
export const demoSteps = {
  'http-check': defineStep({
    params: z.object({ path: z.string() }),
    run: async ({ params, snapshot }) => {
      if (!snapshot?.connections.warehouse) throw new Error(`no warehouse connection for ${params.path}`);
    },
  }),
  'score-customers': defineStep({
    params: z.object({ table: z.string() }),
    run: async ({ params, idempotencyKey }) => ({
      output: { table: params.table, scored: 1_000, key: idempotencyKey },
    }),
  }),
};

/** The probes the demo's monitors read: an error rate by version, as a metrics system would report it. */
export const demoProbes: Record<string, Probe> = {
  'error-rate': ({ snapshot }) => {
    const rate = errorRates[snapshot.version] ?? 0;
    return { status: rate < 0.05 ? 'pass' : 'fail', detail: `error rate ${(rate * 100).toFixed(0)}%` };
  },
};

/** design → production: one approval from role ops; a smoke scenario and an error-rate monitor. */
export async function defineDemoEnvironments(railyard: Railyard): Promise<void> {
  await railyard.environments.define({
    id: 'design',
    variables: { REGION: 'local' },
    connections: { warehouse: 'dev-warehouse' },
  });
  await railyard.environments.define({
    id: 'production',
    promotesFrom: ['design'],
    policy: {
      approvals: { required: 1, roles: ['ops'] },
      operatorRoles: ['ops'],
      autoRollback: { enabled: true, maxConsecutive: 3 },
    },
    variables: { REGION: 'eu-west-1' },
    connections: { warehouse: 'prod-warehouse' },
    verification: {
      scenarios: [{ id: 'smoke', steps: [{ type: 'http-check', params: { path: '/health' }, timeoutMs: 5_000 }] }],
      monitors: [{ id: 'error-rate', probe: 'error-rate', intervalMs: 300, failAfter: 2 }],
      bakeTimeMs: 1_000,
    },
  });
}
