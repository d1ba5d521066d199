// Railyard quickstart: a design environment and a production environment on the embedded file
// store. Bundle 1.0.0 goes to production with an approval; 1.1.0 goes live, its monitor turns
// critical, and Railyard rolls it back to 1.0.0 on its own. Run with `npm run demo`.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment, DeploymentStatus, Railyard } from '@railyard/core';
import { openSite } from './site.js';
import { printTimeline } from './timeline.js';

const designer = { id: 'designer', roles: ['data-scientist'] };
const operator = { id: 'operator', roles: ['ops'] };

/** Resolves when the deployment reaches one of the statuses (the background worker drives it). */
function until(railyard: Railyard, id: string, statuses: DeploymentStatus[]): Promise<Deployment> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${id} did not reach ${statuses.join('/')} in 30 s`)), 30_000);
    const check = (deployment: Deployment | null) => {
      if (deployment && deployment.id === id && statuses.includes(deployment.status)) {
        clearTimeout(timer);
        off();
        resolve(deployment);
      }
    };
    const off = railyard.events.on('deployment.transition', ({ deployment }) => check(deployment));
    void railyard.deployment(id).then(check);
  });
}

async function ship(railyard: Railyard, version: string, weights: string) {
  const bundle = await railyard.bundles.create({
    project: 'churn-model',
    version,
    entries: [
      { path: 'models/churn.onnx', content: weights, kind: 'model' },
      { path: 'pipelines/score.sql', content: 'select customer_id, score(features) from customers', kind: 'pipeline' },
    ],
    requirements: { variables: ['REGION'], connections: ['warehouse'], stepTypes: ['http-check'] },
    releaseNotes: `churn model ${version}`,
    createdBy: designer,
    source: { revision: `rev-${version}` },
  });
  console.log(`\n▶ bundle churn-model@${version} ${bundle.id.slice(0, 19)}… by ${designer.id}`);
  const onDesign = await railyard.promote({ bundle: bundle.id, to: 'design', by: designer, reason: `try ${version}` });
  await until(railyard, onDesign.id, ['active']);
  console.log(`  design: ${onDesign.id} active`);
  const request = await railyard.promote({
    bundle: bundle.id,
    to: 'production',
    by: designer,
    reason: `release ${version}`,
  });
  console.log(`  production: ${request.id} ${request.status} (needs 1 approval from role ops)`);
  await railyard.approve(request.id, { by: operator, bundle: bundle.id, comment: 'reviewed the release notes' });
  console.log(`  production: approved by ${operator.id}; activating and verifying…`);
  return until(railyard, request.id, ['active', 'rolled_back', 'failed']);
}

const dir = await mkdtemp(join(tmpdir(), 'railyard-quickstart-'));
console.log(`Railyard quickstart — file store in ${dir}`);
const railyard = await openSite(dir);
railyard.start();
try {
  const first = await ship(railyard, '1.0.0', 'weights-v1');
  console.log(`  production: ${first.id} ${first.status}`);
  const second = await ship(railyard, '1.1.0', 'weights-v2');
  console.log(
    `  production: ${second.id} ${second.status}${second.status === 'rolled_back' && second.failure ? ` (${second.failure.reason})` : ''}`,
  );
  const production = await railyard.environments.get('production');
  const rollbackId = production?.active?.deploymentId;
  if (rollbackId) await until(railyard, rollbackId, ['active', 'failed']);
  const after = await railyard.environments.get('production');
  console.log(
    `  production now runs ${after?.active?.snapshot.version} (${after?.active?.deploymentId}), status ${after?.status}`,
  );
  await printTimeline(railyard);
  const verification = await railyard.journal.verify();
  const head = await railyard.journal.head();
  console.log(
    verification.ok
      ? `\nJournal verified: ${verification.entries} entries, hash chain intact (head ${head.hash.slice(0, 16)}…)`
      : `\nJournal verification FAILED: ${verification.problem.message}`,
  );
  if (!verification.ok || after?.active?.snapshot.version !== '1.0.0') process.exitCode = 1;
} finally {
  await railyard.close();
}
