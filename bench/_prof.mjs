import { createRailyard, memoryStateStore, memoryBlobStore } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
const by = { id: 'dev', roles: [] };
for (let k = 0; k < 6; k++) {
  const ry = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore(), clock: createFakeClock() });
  await ry.environments.define({ id: 'bench' });
  const b = await ry.bundles.create({ project: 'bench', version: '1.0.0', entries: [{ path: 'a.txt', content: 'x' }], createdBy: by });
  const t0 = performance.now();
  for (let i = 0; i < 500; i++) { await ry.promote({ bundle: b.id, to: 'bench', by }); await ry.settle(); }
  console.log(k, (500 / (performance.now() - t0) * 1000).toFixed(0), 'dps');
  await ry.close();
}
