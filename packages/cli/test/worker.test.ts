import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JournalEntrySchema } from '@railyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { type Running, start } from './helpers/long-running.js';
import { tempProject } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';
import { Documents } from './helpers/schemas.js';

const project = tempProject();
const dir = project.dir;
const socket = join(dir, '.railyard/railyard.sock');
const release = join(dir, 'release-verification');
const run = (...args: string[]) => railyard(dir, args);
const workers: Running[] = [];

// Verification runs a host step that holds until the test creates a file: the worker is then
// stopped while that step is running, which is the "mid-work" moment.
const zod = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;
const config = `import { existsSync } from 'node:fs';
import { z } from '${zod}';
export default {
  actors: { alice: ['dev'], olga: ['ops'] },
  steps: {
    'wait-for-release': {
      params: z.object({}),
      async run({ signal }) {
        while (!existsSync(${JSON.stringify(release)})) {
          if (signal.aborted) throw signal.reason;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        return {};
      },
    },
  },
};
`;
const production = {
  id: 'production',
  policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
  verification: { scenarios: [{ id: 'gate', steps: [{ type: 'wait-for-release', timeoutMs: 600_000 }] }] },
};

function startWorker(): Running {
  const worker = start(dir, ['worker']);
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(dir, 'railyard.config.mjs'), config);
  writeFileSync(join(dir, 'railyard.project.json'), JSON.stringify({ project: 'churn' }));
  writeFileSync(join(dir, 'model.bin'), 'weights 1');
  writeFileSync(join(dir, 'production.json'), JSON.stringify(production));
}, 120_000);
afterAll(async () => {
  for (const worker of workers) await worker.stop('SIGKILL');
  project.cleanup();
});

describe('railyard worker', () => {
  it('serves the store on an owner-only socket; other commands reach it instead of failing with STORE_LOCKED', async () => {
    const worker = startWorker();
    const started = await worker.waitFor((r) => r.event === 'worker.started');
    expect(started).toMatchObject({ level: 'info', socket, pid: worker.child.pid });
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);

    expect((await run('env', 'define', '--file', 'production.json')).code).toBe(0);
    const built = await run('--as', 'alice', 'bundle', 'build', '--version', '1.0.0', '--json');
    expect(built.code).toBe(0);
    const promoted = await run('--as', 'alice', 'promote', 'churn@1.0.0', '--to', 'production', '--json');
    expect(promoted.code).toBe(0);
    expect(Documents.deployment.parse(promoted.json()).deployment.status).toBe('awaiting_approval');
    // The worker logs what it drives, one JSON object per line.
    await worker.waitFor((r) => r.event === 'deployment.transition' && r.to === 'awaiting_approval');

    // Progress travels back over the socket while the worker builds.
    const another = await run('--as', 'alice', 'bundle', 'build', '--version', '1.0.1');
    expect(another.code).toBe(0);
    expect(another.stderr).toMatch(/^build: 3\/3 files, \d+ B\/\d+ B \(100 %\)/m);
    // A second holder is refused: the store admits one process.
    const second = await run('worker');
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/error STORE_LOCKED/);
  });

  it('approve --wait follows the deployment the worker drives until it waits (here: for the verification step)', async () => {
    const approved = await run('--as', 'olga', 'approve', 'production/000001', '--yes', '--json');
    expect(approved.code).toBe(0);
    expect(Documents.deployment.parse(approved.json()).deployment.status).toBe('verifying');
  });

  it('SIGTERM mid-work stops gracefully: the step is cut short, the socket removed, nothing half-done', async () => {
    const worker = workers[0] as Running;
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.records.map((r) => r.event).slice(-2)).toEqual(['worker.stopping', 'worker.stopped']);
    expect(existsSync(socket)).toBe(false);

    // With no worker, commands open the store themselves: the deployment is still verifying (its
    // snapshot is the active one, as activation left it), nothing else moved, and the chain is whole.
    const status = Documents.status.parse((await run('status', '--json')).json());
    expect(status.environments[0]?.inFlight?.status).toBe('verifying');
    expect(status.environments[0]?.environment.active?.deploymentId).toBe('production/000001');
    expect(status.environments[0]?.queued).toEqual([]);
    expect((await run('journal', 'verify')).code).toBe(0);
  });

  it('a restarted worker replaces a stale socket file and finishes the work', async () => {
    // A socket file nobody answers on, as a killed holder leaves it.
    const holder = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => console.log('listening'))`,
    ]);
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(existsSync(socket)).toBe(true);

    const worker = startWorker();
    await worker.waitFor((r) => r.event === 'worker.started');
    writeFileSync(release, 'go');
    await worker.waitFor((r) => r.event === 'deployment.transition' && r.to === 'active');
    const status = Documents.status.parse((await run('status', '--json')).json());
    expect(status.environments[0]?.environment.active?.deploymentId).toBe('production/000001');
    expect(status.environments[0]?.inFlight).toBeNull();

    const history = Documents.deployments.parse((await run('history', '--json')).json()).deployments;
    expect(history.map((d) => [d.id, d.status])).toEqual([['production/000001', 'active']]);
    const lines = (await run('journal', 'export', '--format', 'jsonl')).stdout.trim().split('\n');
    expect(lines.map((line) => JournalEntrySchema.parse(JSON.parse(line)).seq)).toEqual(lines.map((_, i) => i + 1));
    expect((await run('journal', 'verify')).code).toBe(0);
    expect(await worker.stop('SIGINT')).toBe(0);
  });
});
