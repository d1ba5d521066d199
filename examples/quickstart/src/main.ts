// Railyard quickstart: a design environment and a production environment on the embedded file
// store. Bundle 1.0.0 goes to production with an approval; 1.1.0 goes live, its monitor turns
// critical, and Railyard rolls it back to 1.0.0 on its own. Run with `npm run demo`.
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    void railyard.deployments.get(id).then(check);
  });
}

async function ship(railyard: Railyard, projectDir: string, version: string) {
  const bundle = await railyard.bundles.build({
    dir: projectDir,
    version,
    releaseNotes: `churn model ${version}`,
    createdBy: designer,
    source: { revision: `rev-${version}` },
  });
  console.log(
    `\n▶ bundle ${bundle.manifest.project}@${version} ${bundle.id.slice(0, 19)}… built from ${bundle.manifest.entries.length} files by ${designer.id}`,
  );
  const onDesign = await railyard.deployments.promote({
    bundle: bundle.id,
    to: 'design',
    by: designer,
    reason: `try ${version}`,
  });
  await until(railyard, onDesign.id, ['active']);
  console.log(`  design: ${onDesign.id} active`);
  const request = await railyard.deployments.promote({
    bundle: bundle.id,
    to: 'production',
    by: designer,
    reason: `release ${version}`,
  });
  console.log(`  production: ${request.id} ${request.status}; what the approver reviews:`);
  const review = await railyard.deployments.plan({ deployment: request.id });
  console.log(review.text.replace(/^/gm, '    │ '));
  await railyard.deployments.approve(request.id, { by: operator, bundle: bundle.id, comment: 'reviewed the plan' });
  console.log(`  production: approved by ${operator.id}; activating and verifying…`);
  return until(railyard, request.id, ['active', 'rolled_back', 'failed']);
}

const dir = await mkdtemp(join(tmpdir(), 'railyard-quickstart-'));
console.log(`Railyard quickstart — file store in ${dir}`);
// Work on a copy of the example project, as a data scientist would in their checkout.
const projectDir = join(dir, 'project');
await cp(fileURLToPath(new URL('../project', import.meta.url)), projectDir, { recursive: true });
const railyard = await openSite(dir);
// A scheduled scenario: every second here (a cron with seconds) so that the demo shows a few runs;
// in real life "0 2 * * *" in the site's time zone. Runs missed while the worker was stopped are
// not caught up (catchUp: 'none', the default) and the journal says which were skipped.
await railyard.scenarios.define(
  {
    id: 'nightly-scoring',
    environment: 'production',
    triggers: [{ kind: 'schedule', cron: '* * * * * *', timezone: 'Europe/Paris', catchUp: 'none' }],
    steps: [{ name: 'score', type: 'score-customers', params: { table: 'customers' } }],
    concurrency: { policy: 'skip' },
  },
  { by: operator },
);
railyard.start();
try {
  const first = await ship(railyard, projectDir, '1.0.0');
  console.log(`  production: ${first.id} ${first.status}`);
  // The model is retrained: new weights, same pipelines and config.
  await writeFile(join(projectDir, 'models/churn.onnx'), 'churn model weights v2 (retrained)\n');
  const second = await ship(railyard, projectDir, '1.1.0');
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
  const health = await railyard.environments.health('production');
  console.log(`\nHealth of production: ${health.level}`);
  for (const [part, detail] of Object.entries({
    deployment: health.deployment,
    execution: health.execution,
    monitors: health.monitors,
  })) {
    console.log(`  ${part.padEnd(11)} ${detail.level.padEnd(8)} ${detail.reasons.join('; ') || '—'}`);
  }
  const runs = await railyard.scenarios.runs({ scenario: 'nightly-scoring' });
  console.log(
    `\nScheduled scenario nightly-scoring: ${runs.length} runs, ${runs.filter((r) => r.status === 'succeeded').length} succeeded`,
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
