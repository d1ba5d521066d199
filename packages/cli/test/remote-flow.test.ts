import { createAgent, type ServedAgent, serveAgent } from '@railyard/adapter-http';
import { type BundleRecord, createRailyard, memoryBlobStore, memoryStateStore, type Railyard } from '@railyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { freePort } from './helpers/long-running.js';
import { ENVIRONMENTS, tempProject } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';
import { Documents } from './helpers/schemas.js';

const requesterSecret = 'r'.repeat(40);
const opsSecret = 'o'.repeat(40);
const project = tempProject();
let production: Railyard;
let served: ServedAgent;
let bundles: BundleRecord[];

/** `railyard --site <agent>` with one key's id and secret in the environment, as an operator would. */
const remote = (key: 'requester' | 'ops', ...args: string[]) =>
  railyard(project.dir, ['--site', served.url, ...args], {
    RAILYARD_KEY_ID: key,
    RAILYARD_KEY_SECRET: key === 'ops' ? opsSecret : requesterSecret,
  });

beforeAll(async () => {
  await ensureBuilt();
  // A production site on loopback: its own stores, its environments, an agent with two keys.
  const store = memoryStateStore();
  production = createRailyard({ store, blobs: memoryBlobStore() });
  for (const definition of ENVIRONMENTS) await production.environments.define(definition);
  bundles = [];
  for (const version of ['1.0.0', '1.1.0']) {
    const bundle = await production.bundles.create({
      project: 'churn',
      version,
      entries: [{ path: 'models/churn.bin', content: `weights ${version}` }],
      createdBy: { id: 'alice', roles: ['dev'] },
    });
    bundles.push(bundle);
    await production.promote({ bundle: bundle.id, to: 'staging', by: { id: 'alice', roles: ['dev'] } });
  }
  await production.settle();
  // The client signs for the site's origin by default, so the agent's audience is its own URL.
  const port = await freePort();
  const agent = createAgent(production, {
    audience: `http://127.0.0.1:${port}`,
    store,
    keys: [
      {
        id: 'requester',
        secrets: [requesterSecret],
        actor: { id: 'alice', roles: ['dev'] },
        actions: ['promote', 'read'],
        environments: '*',
      },
      {
        id: 'ops',
        secrets: [opsSecret],
        actor: { id: 'olivia', roles: ['ops'] },
        actions: ['approve', 'rollback', 'read'],
        environments: ['production'],
      },
    ],
  });
  served = await serveAgent(agent, { host: '127.0.0.1', port });
}, 120_000);

afterAll(async () => {
  await served?.close();
  await production?.close();
  project.cleanup();
});

describe('railyard --site: the same flow against a production site on loopback', () => {
  it('lists environments, promotes by full bundle id, plans, approves as another key, rolls back', async () => {
    const envs = Documents.environments.parse((await remote('requester', 'env', 'list', '--json')).json());
    expect(envs.environments.map((e) => e.definition.id).sort()).toEqual(['production', 'staging']);

    const first = await remote(
      'requester',
      'promote',
      bundles[0]?.id as string,
      '--to',
      'production',
      '--reason',
      'v1',
      '--json',
    );
    expect(first.code).toBe(0);
    const requested = Documents.deployment.parse(first.json()).deployment;
    expect(requested).toMatchObject({ status: 'awaiting_approval', requestedBy: { id: 'alice' } });

    const plan = Documents.plan.parse((await remote('requester', 'plan', requested.id, '--json')).json()).plan;
    expect(plan.bundle.version).toBe('1.0.0');

    // The requester's key may not approve (no `approve` action): refused by the agent, exit 1.
    const self = await remote('requester', 'approve', requested.id, '--yes', '--json');
    expect(self.code).toBe(1);
    expect(Documents.error.parse(self.json()).error.exitCode).toBe(1);

    const approved = await remote('ops', 'approve', requested.id, '--yes', '--json');
    expect(approved.code).toBe(0);
    expect(Documents.deployment.parse(approved.json()).deployment.approvals[0]?.by.id).toBe('olivia');
    await production.settle();

    const second = Documents.deployment.parse(
      (await remote('requester', 'promote', bundles[1]?.id as string, '--to', 'production', '--json')).json(),
    ).deployment;
    expect((await remote('ops', 'approve', second.id, '--yes')).code).toBe(0);
    await production.settle();

    const status = Documents.status.parse((await remote('ops', 'status', 'production', '--json')).json());
    expect(status.environments[0]?.environment.active?.snapshot.version).toBe('1.1.0');
    expect(status.environments[0]?.health).not.toBeNull();

    const rolled = await remote('ops', 'rollback', 'production', '--reason', 'error rate 12%', '--yes', '--json');
    expect(rolled.code).toBe(0);
    expect(Documents.deployment.parse(rolled.json()).deployment).toMatchObject({ kind: 'rollback', version: '1.0.0' });
    await production.settle();

    const history = Documents.deployments.parse(
      (await remote('ops', 'history', '--env', 'production', '--json')).json(),
    );
    expect(history.deployments.map((d) => [d.kind, d.version, d.status])).toEqual([
      ['rollback', '1.0.0', 'active'],
      ['promotion', '1.1.0', 'rolled_back'],
      ['promotion', '1.0.0', 'superseded'],
    ]);
    // The journal pages the agent serves: who touched what, and the timeline.
    const touched = Documents.deployments.parse(
      (await remote('ops', 'history', '--env', 'production', '--actor', 'olivia', '--json')).json(),
    );
    expect(touched.deployments).toHaveLength(3);
    const timeline = await remote('ops', 'timeline', 'production');
    expect(timeline.code).toBe(0);
    expect(timeline.stdout).toMatch(/requested 1\.1\.0/);
  });

  it('refuses what an agent does not offer (2), a missing key (2) and an unknown deployment (3)', async () => {
    const unsupported = await remote('ops', 'scenarios', 'list');
    expect(unsupported.code).toBe(2);
    expect(unsupported.stderr).toMatch(/error CAPABILITY_MISSING: .*not offered by a site's agent/);
    const noKey = await railyard(project.dir, ['--site', served.url, 'status']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/RAILYARD_KEY_ID and RAILYARD_KEY_SECRET/);
    expect((await remote('ops', 'plan', 'production/000099')).code).toBe(3);
  });
});
