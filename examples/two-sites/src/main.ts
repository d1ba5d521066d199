// Two sites over HTTP, end to end on loopback. A production agent runs as its own process with its
// own stores and approvers; this process is the design site. It builds bundles, pushes only what
// production lacks and asks for promotions; the ops key approves on production, verification runs
// there, and ops rolls back by hand. Run with `npm run example:two-sites`.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentClient, createAgentClient, httpTransport } from '@railyard/adapter-http';
import { createRailyard, fileBlobStore, fileStateStore, type Railyard } from '@railyard/core';
import { isRailyardError } from '@railyard/core/errors';
import { PRODUCTION_AUDIENCE } from './keys.js';
import { type ProductionProcess, startProductionProcess, until } from './processes.js';

const requester = { id: 'rory', roles: ['data-scientist'] };
const author = { id: 'dana', roles: ['data-scientist'] };

const dir = await mkdtemp(join(tmpdir(), 'railyard-two-sites-'));
const projectDir = join(dir, 'project');
await cp(fileURLToPath(new URL('../project', import.meta.url)), projectDir, { recursive: true });
// Each run draws fresh secrets; in a real installation they come from a secret store.
const secrets = { design: randomBytes(32).toString('base64'), ops: randomBytes(32).toString('base64') };
console.log(`Railyard two sites — working directory ${dir}`);

let productionProcess: ProductionProcess | undefined;
let design: Railyard | undefined;
const following = new AbortController();
try {
  productionProcess = await startProductionProcess(join(dir, 'production'), secrets);
  const { url } = productionProcess;
  const transport = httpTransport({ url, audience: PRODUCTION_AUDIENCE, keyId: 'design-site', secret: secrets.design });
  design = createRailyard({
    store: await fileStateStore({ dir: join(dir, 'design/state') }),
    blobs: fileBlobStore({ dir: join(dir, 'design/blobs') }),
    transport,
    idleMs: 100,
    remotePollMs: 200,
  });
  await design.environments.define({ id: 'production', remote: true });
  design.events.on('remote.deployment', (remote) =>
    console.log(`[design] production reports ${remote.remoteId} (${remote.version}): ${remote.status}`),
  );
  design.start();
  const ops = createAgentClient({ url, audience: PRODUCTION_AUDIENCE, keyId: 'ops', secret: secrets.ops });
  const streamed = followJournal(ops, following.signal);

  // 1.0.0: everything is new to production.
  const v1 = await promote(design, '1.0.0', 'churn-model-1.0.0');
  try {
    await transport.client.approve(v1.id, { bundle: v1.bundleId });
  } catch (error) {
    if (!isRailyardError(error, 'POLICY_DENIED')) throw error;
    console.log(`[design] the design key cannot approve: ${error.message.split('.')[0]}.`);
  }
  await review(ops, v1.id, v1.bundleId);
  await untilRemote(design, v1.id, 'active');

  // Asking again with the same idempotency key sends nothing and promotes nothing twice.
  const again = await promote(design, '1.0.0', 'churn-model-1.0.0', false);
  console.log(`[design] repeated request answered with the same deployment: ${again.id === v1.id}`);

  // 1.1.0: the model is retrained; pipelines are unchanged and are not sent again.
  await writeFile(join(projectDir, 'models/churn.onnx'), 'churn model weights v2 (retrained)\n');
  const v2 = await promote(design, '1.1.0', 'churn-model-1.1.0');
  await review(ops, v2.id, v2.bundleId);
  await untilRemote(design, v2.id, 'active');

  // The business asks for the old model back: ops rolls production back by hand.
  const rollback = await ops.rollback('production', {
    reason: 'scores drifted after 1.1.0',
    to: v1.id,
    // Sent again after a dropped connection, the same key rolls back once and returns the first answer.
    idempotencyKey: `rollback-to-${v1.id}`,
  });
  console.log(`[ops] rollback requested: ${rollback.id} back to ${v1.id}`);
  await until('the rollback to be active', async () =>
    (await ops.getDeployment(rollback.id))?.status === 'active' ? true : undefined,
  );
  const replaced = await ops.getDeployment(v2.id);
  console.log(`[ops] ${v2.id} (1.1.0) is now ${replaced?.status}`);

  const environment = await ops.environment('production');
  const version = environment?.active?.snapshot.version;
  const { level } = await ops.environmentHealth('production');
  console.log(`\nproduction runs ${version} (${environment?.active?.deploymentId}), health ${level}; history:`);
  for (const d of await ops.history('production'))
    console.log(`  ${d.id}  ${d.kind.padEnd(9)} ${d.version}  ${d.status}`);
  const verified = await design.journal.verify();
  console.log(`design journal verified: ${verified.ok}; production journal entries streamed: ${streamed()}`);
  if (version !== '1.0.0' || !verified.ok) process.exitCode = 1;
} finally {
  following.abort();
  await design?.close();
  await productionProcess?.stop();
  await rm(dir, { recursive: true, force: true });
}

/** Builds the project at `version` on the design site and asks production for it. */
async function promote(site: Railyard, version: string, idempotencyKey: string, log = true) {
  const bundle = await site.bundles.build({
    dir: projectDir,
    version,
    createdBy: author,
    releaseNotes: `churn ${version}`,
  });
  const remote = await site.deployments.promote({ bundle: bundle.id, to: 'production', by: requester, idempotencyKey });
  let sent: unknown;
  for await (const entry of site.journal.read({ environment: 'production' }))
    if (entry.type === 'remote.promotion.requested') sent = entry.data.blobsSent;
  if (log)
    console.log(
      `\n[design] ${version}: ${bundle.manifest.entries.length} files, ${sent} blob(s) sent; production answered ${remote.id} ${remote.status}`,
    );
  else console.log(`\n[design] ${version} again: ${sent} blob(s) sent`);
  return remote;
}

/** What the people accountable for production do: read the plan, then approve the exact bundle. */
async function review(ops: AgentClient, id: string, bundle: string) {
  const { deployment } = await ops.explain({ deployment: id });
  console.log(`[ops] ${id} is ${deployment?.status}, waiting for ${deployment?.waitingFor.join('; ')}`);
  const plan = await ops.plan({ deployment: id });
  console.log(`[ops] plan for ${id}:\n${plan.text.replace(/^/gm, '    │ ')}`);
  await ops.approve(id, { bundle, comment: 'reviewed the plan' });
  console.log(`[ops] approved ${id}`);
}

async function untilRemote(site: Railyard, remoteId: string, status: string) {
  await until(`${remoteId} to be ${status} on the design site`, async () => {
    const tracked = (await site.deployments.remote('production')).find((r) => r.remoteId === remoteId);
    return tracked?.status === status ? tracked : undefined;
  });
}

/** Follows production's journal over the event stream (server-sent events) for the whole run. */
function followJournal(ops: AgentClient, signal: AbortSignal): () => number {
  let count = 0;
  void (async () => {
    try {
      for await (const entry of ops.events({ signal })) {
        count++;
        if (entry.type === 'deployment.transition' && ['active', 'superseded'].includes(String(entry.data.to)))
          console.log(
            `[production journal #${entry.seq}] ${entry.deploymentId}: ${entry.data.from} → ${entry.data.to}`,
          );
      }
    } catch (error) {
      if (!signal.aborted) console.error('[design] event stream failed:', error);
    }
  })();
  return () => count;
}
