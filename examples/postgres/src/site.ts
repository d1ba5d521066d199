import { postgresStateStore } from '@railyard/adapter-postgres';
import { createRailyard, defineStep, fileBlobStore, type Railyard } from '@railyard/core';
import pg from 'pg';
import { z } from 'zod';

/** Error rates the pretend production service shows for each version (1.1.0 has a bug). */
const errorRates: Record<string, number> = { '1.0.0': 0.01, '1.1.0': 0.12 };

/**
 * One Railyard worker: its own connection pool on the shared schema, the shared blob directory,
 * and the step type and probe the environments use. Run it in as many processes (or machines) as
 * you like; here the demo runs two in one process.
 */
export async function openWorker(
  url: string,
  schema: string,
  blobDir: string,
): Promise<{ railyard: Railyard; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  pool.on('error', (error) => console.error('idle PostgreSQL connection failed:', error.message));
  const railyard = createRailyard({
    store: await postgresStateStore({ pool, schema }),
    blobs: fileBlobStore({ dir: blobDir }),
    idleMs: 200,
    steps: {
      'http-check': defineStep({
        params: z.object({ path: z.string() }),
        run: async ({ params, snapshot }) => {
          if (!snapshot.connections.warehouse) throw new Error(`no warehouse connection for ${params.path}`);
        },
      }),
    },
    probes: {
      'error-rate': ({ snapshot }) => {
        const rate = errorRates[snapshot.version] ?? 0;
        return { status: rate < 0.05 ? 'pass' : 'fail', detail: `error rate ${(rate * 100).toFixed(0)}%` };
      },
    },
  });
  return { railyard, pool };
}

/** design → production (one approval from role ops; a smoke scenario and an error-rate monitor). */
export async function defineEnvironments(railyard: Railyard): Promise<void> {
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
}
