import { postgresStateStore } from '@railyard/adapter-postgres';
import { createRailyard, fileBlobStore, type Railyard } from '@railyard/core';
import { demoProbes, demoSteps } from '@railyard/example-quickstart/setup';
import pg from 'pg';

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
    steps: demoSteps,
    probes: demoProbes,
  });
  return { railyard, pool };
}
