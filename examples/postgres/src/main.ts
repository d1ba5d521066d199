// Railyard on PostgreSQL with two workers. Both open the same schema; each claims a share of the
// environments and drives them. Bundle 1.0.0 goes to production with an approval; 1.1.0 goes live,
// its monitor turns critical, and Railyard rolls production back to 1.0.0 on its own.
// Run with `npm start -w @railyard/example-postgres` (DATABASE_URL, default the local server).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '@railyard/adapter-postgres';
import type { Deployment, DeploymentStatus, Railyard } from '@railyard/core';
import { defineDemoEnvironments } from '@railyard/example-quickstart/setup';
import pg from 'pg';
import { openWorker } from './site.js';

const url = process.env.DATABASE_URL ?? process.env.RAILYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = 'railyard_example';
const designer = { id: 'designer', roles: ['data-scientist'] };
const operator = { id: 'operator', roles: ['ops'] };

// A fresh schema for the demo (a real installation runs migrate() at deploy time and keeps its data).
const admin = new pg.Pool({ connectionString: url, max: 1 });
const dropSchema = () => admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await dropSchema();
console.log(`Railyard on PostgreSQL — ${url.replace(/:[^:@/]*@/, ':***@')}, schema ${schema}`);
console.log(`  migrate: applied versions ${(await migrate({ pool: admin, schema })).applied.join(', ')}`);

const blobDir = await mkdtemp(join(tmpdir(), 'railyard-pg-example-'));
const workers = [await openWorker(url, schema, blobDir), await openWorker(url, schema, blobDir)];
const { railyard } = workers[0] as { railyard: Railyard };
await defineDemoEnvironments(railyard);
const drove = workers.map(() => 0);
workers.forEach(({ railyard: worker }, index) => {
  worker.events.on('deployment.transition', () => {
    drove[index] = (drove[index] ?? 0) + 1;
  });
  worker.start();
});

/** Resolves when the deployment reaches one of the statuses, whichever worker moves it. */
function until(id: string, statuses: DeploymentStatus[]): Promise<Deployment> {
  return new Promise((resolve, reject) => {
    const offs: (() => void)[] = [];
    const timer = setTimeout(() => reject(new Error(`${id} did not reach ${statuses.join('/')} in 30 s`)), 30_000);
    const check = (deployment: Deployment | null) => {
      if (deployment?.id !== id || !statuses.includes(deployment.status)) return;
      clearTimeout(timer);
      for (const off of offs) off();
      resolve(deployment);
    };
    for (const { railyard: worker } of workers)
      offs.push(worker.events.on('deployment.transition', ({ deployment }) => check(deployment)));
    void railyard.deployments.get(id).then(check);
  });
}

async function ship(version: string): Promise<Deployment> {
  const bundle = await railyard.bundles.create({
    project: 'churn-model',
    version,
    entries: [{ path: 'models/churn.onnx', content: `weights ${version}` }],
    requirements: { variables: ['REGION'], connections: ['warehouse'], stepTypes: ['http-check'] },
    createdBy: designer,
  });
  console.log(`\n▶ churn-model@${version}`);
  const onDesign = await railyard.deployments.promote({ bundle: bundle.id, to: 'design', by: designer });
  await until(onDesign.id, ['active']);
  const request = await railyard.deployments.promote({
    bundle: bundle.id,
    to: 'production',
    by: designer,
    reason: `release ${version}`,
  });
  await railyard.deployments.approve(request.id, { by: operator, bundle: bundle.id });
  console.log(`  design active; production ${request.id} approved by ${operator.id}, verifying…`);
  return until(request.id, ['active', 'rolled_back', 'failed']);
}

try {
  console.log(`  production: ${(await ship('1.0.0')).status}`);
  const second = await ship('1.1.0');
  console.log(
    `  production: ${second.status}${'failure' in second && second.failure ? ` (${second.failure.reason})` : ''}`,
  );
  const rollbackId = (await railyard.environments.get('production'))?.active?.deploymentId;
  if (rollbackId) await until(rollbackId, ['active', 'failed']);
  const production = await railyard.environments.get('production');
  console.log(
    `\nproduction runs ${production?.active?.snapshot.version} (${production?.active?.deploymentId}), status ${production?.status}`,
  );
  console.log(`transitions driven: worker 1 ${drove[0]}, worker 2 ${drove[1]}`);
  const verification = await railyard.journal.verify();
  console.log(verification.ok ? `journal verified: ${verification.entries} entries` : 'journal verification FAILED');
  if (!verification.ok || production?.active?.snapshot.version !== '1.0.0') process.exitCode = 1;
} finally {
  for (const { railyard: worker, pool } of workers) {
    await worker.close();
    await pool.end();
  }
  await rm(blobDir, { recursive: true, force: true });
  await dropSchema();
  await admin.end();
}
