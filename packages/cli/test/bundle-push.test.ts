import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { freePort, type Running, start } from './helpers/long-running.js';
import { OpsDocuments } from './helpers/ops-schemas.js';
import { tempProject } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';
import { Documents } from './helpers/schemas.js';

const design = tempProject();
const production = tempProject();
const secret = 'design-secret-0123456789abcdefghijklmnop';
const keys = [
  {
    id: 'design',
    secrets: [secret],
    actor: { id: 'design-site', roles: ['dev'] },
    actions: ['push', 'promote', 'read'],
    environments: ['production'],
    actOnBehalf: true,
  },
];
const key = { RAILYARD_KEY_ID: 'design', RAILYARD_KEY_SECRET: secret };
let agent: Running;
let url: string;

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(design.dir, 'railyard.project.json'), JSON.stringify({ project: 'churn' }));
  writeFileSync(join(design.dir, 'model.bin'), randomBytes(1 << 20));
  expect((await railyard(design.dir, ['--as', 'alice', 'bundle', 'build', '--version', '1.0.0'])).code).toBe(0);
  writeFileSync(join(production.dir, 'keys.json'), JSON.stringify(keys));
  writeFileSync(
    join(production.dir, 'production.json'),
    JSON.stringify({
      id: 'production',
      policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
    }),
  );
  expect((await railyard(production.dir, ['env', 'define', '--file', 'production.json'])).code).toBe(0);
  agent = start(production.dir, ['agent', 'serve', '--port', String(await freePort()), '--keys', 'keys.json']);
  url = (await agent.waitFor((r) => r.event === 'agent.started')).url as string;
}, 120_000);
afterAll(async () => {
  await agent?.stop('SIGKILL');
  design.cleanup();
  production.cleanup();
});

describe('railyard bundle push', () => {
  it('sends a bundle to the agent with progress, then only what is missing; production promotes it by id', async () => {
    const pushed = await railyard(design.dir, ['bundle', 'push', 'churn@1.0.0', '--site', url], key);
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(
      /^Pushed sha256:[0-9a-f]{64} to http:\/\/127\.0\.0\.1:\d+: 1 blob\(s\) sent \(1\.0 MiB\), 0 already there/,
    );
    expect(pushed.stderr).toMatch(/^push: 1\/1 files, 1\.0 MiB\/1\.0 MiB \(100 %\)/m);

    const again = await railyard(design.dir, ['bundle', 'push', 'churn@1.0.0', '--site', url, '--json'], key);
    const document = again.json<{ push: { bundleId: string; blobsSent: number; blobsPresent: number } }>();
    expect(document.push).toMatchObject({ blobsSent: 0, blobsPresent: 1 });

    // On the production host, local commands reach the agent's process through its socket.
    const there = OpsDocuments.bundles.parse((await railyard(production.dir, ['bundle', 'list', '--json'])).json());
    expect(there.bundles.map((b) => b.id)).toEqual([document.push.bundleId]);
    const promoted = await railyard(
      design.dir,
      ['--as', 'alice', '--site', url, 'promote', document.push.bundleId, '--to', 'production', '--json'],
      key,
    );
    expect(promoted.code).toBe(0);
    expect(Documents.deployment.parse(promoted.json()).deployment.status).toBe('awaiting_approval');
  });

  it('refuses without a site or without the key, sending nothing', async () => {
    const noSite = await railyard(design.dir, ['bundle', 'push', 'churn@1.0.0'], key);
    expect(noSite.code).toBe(2);
    expect(noSite.stderr).toMatch(/--site/);
    const noKey = await railyard(design.dir, ['bundle', 'push', 'churn@1.0.0', '--site', url]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/RAILYARD_KEY_ID and RAILYARD_KEY_SECRET/);
  });
});
