// The production site: its own Railyard (its own stores, policy and approvers) behind the HTTP
// agent. src/main.ts starts it as a separate process; it prints `READY <url>` once it listens and
// shuts down cleanly on SIGTERM. Run it alone with RAILYARD_DIR, RAILYARD_DESIGN_SECRET and
// RAILYARD_OPS_SECRET set (and PORT to pick a port).
import { createAgent, serveAgent } from '@railyard/adapter-http';
import { createRailyard, defineStep } from '@railyard/core';
import { z } from 'zod';
import { PRODUCTION_AUDIENCE, productionKeys, requireEnv, SECRET_ENV } from './keys.js';
import { openProductionStores } from './stores.js';

const log = (line: string) => console.log(`[production] ${line}`);
const dir = requireEnv('RAILYARD_DIR');
const stores = await openProductionStores(dir);
const production = createRailyard({
  store: stores.store,
  blobs: stores.blobs,
  idleMs: 100,
  steps: {
    // A real smoke step would call the service; this one checks the deployment's resolved settings.
    smoke: defineStep({
      params: z.object({ variable: z.string() }),
      run: async ({ params, snapshot }) => {
        if (!snapshot?.variables[params.variable]) throw new Error(`variable ${params.variable} is not set`);
      },
    }),
  },
  probes: { 'error-rate': () => ({ status: 'pass', detail: 'error rate 1%' }) },
});
await production.environments.define({
  id: 'production',
  policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
  variables: { REGION: 'eu-west-1' },
  verification: {
    scenarios: [{ id: 'smoke', steps: [{ type: 'smoke', params: { variable: 'REGION' } }] }],
    monitors: [{ id: 'error-rate', probe: 'error-rate', intervalMs: 200, failAfter: 2 }],
    bakeTimeMs: 600,
  },
});
production.events.on('deployment.transition', ({ deployment, from, to }) =>
  log(`${deployment.id} ${deployment.version}: ${from} → ${to}`),
);
production.start();

// Nonces and the answers to commands live in the site's own store: a replayed request is refused
// even after this process restarts.
const agent = createAgent(production, {
  audience: PRODUCTION_AUDIENCE,
  store: stores.store,
  keys: productionKeys({ design: requireEnv(SECRET_ENV.design), ops: requireEnv(SECRET_ENV.ops) }),
});
const served = await serveAgent(agent, { port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
log(`agent listening on ${served.url} (${stores.description})`);
console.log(`READY ${served.url}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: closing the agent and the stores`);
  await served.close();
  await production.close();
  await stores.release();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
if (process.env.RAILYARD_EXIT_WITH_PARENT === '1') {
  // Started by src/main.ts with a pipe on stdin: when that process goes away, however abruptly, the
  // pipe closes and this one stops too.
  process.stdin.on('end', () => void shutdown('parent gone')).resume();
}
