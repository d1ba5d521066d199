// One Railyard worker process on a shared PostgreSQL schema, driven by engine.test.ts.
//   race  <schema> <blobDir> <index> <bundleId>: runs the worker and, while it runs, requests 5
//         promotions (process k into e<k*5>…e<k*5+4>); stops on "stop" on stdin.
//   crash <schema> <blobDir>: runs the worker; its verification step reports its idempotency key and
//         never returns, so the test can kill the process with SIGKILL mid-promotion.
// Every journal entry this process appends is reported on stdout as "journal <seq> <type> <to>".
import { createInterface } from 'node:readline';
import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
import { createRailyard, fileBlobStore } from '@railyard/core';
import { z } from 'zod';
import { testPool } from './pg.js';

const [mode, schema, blobDir, index, bundleId] = process.argv.slice(2);
if (!schema || !blobDir || (mode !== 'race' && mode !== 'crash'))
  throw new Error('usage: engine-child race|crash <schema> <blobDir> …');
const pool = testPool({ max: 5 });
await migrate({ pool, schema }); // every worker migrates at start-up; all but the first find nothing to do
const store = await postgresStateStore({ pool, schema, pollMs: 200 });
const railyard = createRailyard({
  store,
  blobs: fileBlobStore({ dir: blobDir }),
  idleMs: 100,
  leaseMs: 60_000,
  steps: {
    check: {
      params: z.object({}),
      run: ({ idempotencyKey }) => {
        process.stdout.write(`step ${idempotencyKey}\n`);
        return new Promise<void>(() => undefined);
      },
    },
  },
});
railyard.events.on('journal.appended', (entry) =>
  process.stdout.write(`journal ${entry.seq} ${entry.type} ${String(entry.data.to ?? '')}\n`),
);
railyard.events.on('error', (error) => process.stderr.write(`worker error: ${String(error)}\n`));
railyard.start();

if (mode === 'race') {
  const dev = { id: `dev-${index}`, roles: [] };
  const first = Number(index) * 5;
  for (let i = first; i < first + 5; i++) {
    const to = `e${String(i).padStart(2, '0')}`;
    await railyard.promote({ bundle: bundleId as string, to, by: dev, idempotencyKey: `promotion-${i}` });
  }
  process.stdout.write('requested\n');
}
process.stdout.write('ready\n');
const input = createInterface({ input: process.stdin });
for await (const line of input) if (line === 'stop') break;
input.close();
process.stdin.destroy();
await railyard.close();
await pool.end();
process.stdout.write('stopped\n');
