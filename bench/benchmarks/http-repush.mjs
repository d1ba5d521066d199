// http-repush: bytes a design site sends to a production agent to promote a bundle that production
// already holds (nothing changed), against the bytes of the first promotion of that bundle. Counted
// on the agent's sockets, so request lines, headers, HEADs, the manifest and the promotion request
// all count. A third promotion, with one file changed, shows that only that file's blob travels.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createAgent, httpTransport } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { note, QUICK, round } from '../lib.mjs';

const FILES = 32;
const FILE_BYTES = (QUICK ? 16 : 256) * 1024;
const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const requester = { id: 'rory', roles: [] };
const ops = { id: 'olga', roles: ['ops'] };

export async function run() {
  const store = memoryStateStore();
  const production = createRailyard({ store, blobs: memoryBlobStore() });
  await production.environments.define({
    id: 'production',
    policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
  });
  const agent = createAgent(production, {
    audience: 'bench',
    store,
    keys: [
      {
        id: 'design',
        secrets: [SECRET],
        actor: { id: 'design', roles: [] },
        actions: ['push', 'promote', 'read'],
        environments: '*',
      },
    ],
  });
  let received = 0;
  const server = createServer(agent.handleNode);
  server.on('connection', (socket) =>
    socket.on('data', (chunk) => {
      received += chunk.length;
    }),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const design = createRailyard({
    store: memoryStateStore(),
    blobs: memoryBlobStore(),
    transport: httpTransport({ url, audience: 'bench', keyId: 'design', secret: SECRET }),
  });
  try {
    await design.environments.define({ id: 'production', remote: true });
    const entries = Array.from({ length: FILES }, (_, i) => ({
      path: `data/part-${String(i).padStart(3, '0')}.bin`,
      content: randomBytes(FILE_BYTES),
    }));
    const createdBy = { id: 'dana', roles: [] };
    const v1 = await design.bundles.create({ project: 'bench', version: '1.0.0', entries, createdBy });
    const promote = async (bundle, key) => {
      const before = received;
      const deployment = await design.deployments.promote({
        bundle,
        to: 'production',
        by: requester,
        idempotencyKey: key,
      });
      await production.deployments.reject(deployment.id, { by: ops, comment: 'benchmark' });
      return received - before;
    };
    const first = await promote(v1.id, 'first');
    const again = await promote(v1.id, 'again');
    const changed = entries.map((e, i) => (i === 0 ? { ...e, content: randomBytes(FILE_BYTES) } : e));
    const v2 = await design.bundles.create({ project: 'bench', version: '1.0.1', entries: changed, createdBy });
    const oneChanged = await promote(v2.id, 'one-changed');
    const manifestBytes = JSON.stringify(v1.manifest).length;
    note(
      `http-repush: bundle of ${FILES} files × ${FILE_BYTES / 1024} KiB (${round((FILES * FILE_BYTES) / 2 ** 20)} MiB); bytes received by the agent, headers included`,
    );
    note(
      `first promotion ${first} B; unchanged ${again} B (manifest ${manifestBytes} B + ${FILES} HEADs + the promotion); one file changed ${oneChanged} B (≈ ${FILE_BYTES} B of blob + the same)`,
    );
    return [
      { name: 'http-repush', value: again, unit: 'bytes', baseline: 'first-push-bytes', ratio: again / first },
      {
        name: 'http-push-one-changed',
        value: oneChanged,
        unit: 'bytes',
        baseline: 'first-push-bytes',
        ratio: oneChanged / first,
      },
    ];
  } finally {
    await design.close();
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await production.close();
  }
}
