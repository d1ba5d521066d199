// A Railyard process on a file store that promotes three bundles in a row and reports every
// journal entry on stdout, so the crash test can kill it with SIGKILL at any point.

import { createRailyard, fileBlobStore, fileStateStore } from '@railyard/core';
import { z } from 'zod';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: crash-child <dir>');
const store = await fileStateStore({ dir: `${dir}/state` });
const blobs = fileBlobStore({ dir: `${dir}/blobs` });
const railyard = createRailyard({
  store,
  blobs,
  leaseMs: 1,
  steps: {
    check: { params: z.object({}), run: ({ idempotencyKey }) => void process.stdout.write(`step ${idempotencyKey}\n`) },
  },
});
railyard.events.on('journal.appended', (entry) =>
  process.stdout.write(`journal ${entry.seq} ${entry.type} ${String(entry.data.to ?? '')}\n`),
);
const dev = { id: 'dev', roles: [] };
await railyard.environments.define({
  id: 'production',
  verification: { scenarios: [{ id: 'smoke', steps: [{ type: 'check' }] }] },
});
for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
  const bundle = await railyard.bundles.create({
    project: 'p',
    version,
    entries: [{ path: 'model.bin', content: `weights ${version}` }],
    createdBy: dev,
  });
  await railyard.promote({ bundle: bundle.id, to: 'production', by: dev, idempotencyKey: version });
  await railyard.settle();
}
process.stdout.write('done\n');
await railyard.close();
