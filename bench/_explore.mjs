import { createRailyard, memoryStateStore, memoryBlobStore } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
const store = memoryStateStore(), blobs = memoryBlobStore(), clock = createFakeClock();
const ry = createRailyard({ store, blobs, clock });
await ry.environments.define({ id: 'bench' });
const b = await ry.bundles.create({ project: 'bench', version: '1.0.0', entries: [{ path: 'a.txt', content: 'x' }], createdBy: { id: 'dev', roles: [] } });
const by = { id: 'dev', roles: [] };
for (let batch = 0; batch < 10; batch++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  for (let i = 0; i < 200; i++) { await ry.promote({ bundle: b.id, to: 'bench', by }); await ry.settle(); }
  const dt = performance.now() - t0;
  const c = process.cpuUsage(c0); console.log(`cpu%=${((c.user+c.system)/1000/dt*100).toFixed(0)} batch ${batch} total=${(batch+1)*200} dps=${(200/dt*1000).toFixed(0)} us/dep=${(dt/200*1000).toFixed(0)}`);
}
await ry.close();
