import {
  createRailyard,
  defineScenarioStep,
  defineStep,
  fileBlobStore,
  fileStateStore,
  type Railyard,
} from '@railyard/core';
import { z } from 'zod';

/** Error rates the pretend production service shows for each version (1.1.0 has a bug). */
const errorRates: Record<string, number> = { '1.0.0': 0.01, '1.1.0': 0.12 };

/**
 * A Railyard on the embedded file store in `dir`, with the step type and probe this demo's
 * environments use. In a real installation the step would call the service and the probe would
 * query your metrics system.
 */
export async function openSite(dir: string): Promise<Railyard> {
  const railyard = createRailyard({
    store: await fileStateStore({ dir: `${dir}/state` }),
    blobs: fileBlobStore({ dir: `${dir}/blobs` }),
    idleMs: 100,
    steps: {
      'http-check': defineStep({
        params: z.object({ path: z.string() }),
        run: async ({ params, snapshot }) => {
          if (!snapshot.connections.warehouse) throw new Error(`no warehouse connection for ${params.path}`);
        },
      }),
    },
    scenarios: {
      steps: {
        // A nightly job in production: score every customer with the model that runs there.
        'score-customers': defineScenarioStep({
          params: z.object({ table: z.string() }),
          run: async ({ params, idempotencyKey }) => ({
            output: { table: params.table, scored: 1_000, key: idempotencyKey },
          }),
        }),
      },
    },
    probes: {
      'error-rate': ({ snapshot }) => {
        const rate = errorRates[snapshot.version] ?? 0;
        return { status: rate < 0.05 ? 'pass' : 'fail', detail: `error rate ${(rate * 100).toFixed(0)}%` };
      },
    },
  });
  await railyard.environments.define({
    id: 'design',
    variables: { REGION: 'local' },
    connections: { warehouse: 'dev-warehouse' },
  });
  await railyard.environments.define({
    id: 'production',
    promotesFrom: ['design'],
    policy: { approvals: { required: 1, roles: ['ops'] }, autoRollback: { enabled: true, maxConsecutive: 3 } },
    variables: { REGION: 'eu-west-1' },
    connections: { warehouse: 'prod-warehouse' },
    verification: {
      scenarios: [{ id: 'smoke', steps: [{ type: 'http-check', params: { path: '/health' }, timeoutMs: 5_000 }] }],
      monitors: [{ id: 'error-rate', probe: 'error-rate', intervalMs: 300, failAfter: 2 }],
      bakeTimeMs: 1_000,
    },
  });
  return railyard;
}
