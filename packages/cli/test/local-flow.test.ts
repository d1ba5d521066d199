import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { storeBundles, tempProject, writeEnvironments } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';
import { Documents } from './helpers/schemas.js';

const project = tempProject();
const dir = project.dir;
const run = (...args: string[]) => railyard(dir, args);

beforeAll(ensureBuilt, 120_000);
afterAll(project.cleanup);

// One project taken from `init` to a rolled-back production deployment, each step a real process.
describe('railyard, locally: init → env define → promote → plan → approve → status → history → rollback', () => {
  it('init writes a commented config and a project descriptor, and refuses to overwrite them', async () => {
    const first = await run('init', '--json');
    expect(first.code).toBe(0);
    expect(Documents.init.parse(first.json()).project).toMatch(/^railyard-cli-/);
    expect(existsSync(join(dir, 'railyard.config.ts'))).toBe(true);
    expect(existsSync(join(dir, 'railyard.project.json'))).toBe(true);
    const again = await run('init');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/error VALIDATION: init refuses to overwrite/);
  });

  it('env define --file defines the environments; env list and env show read them back', async () => {
    const defined = await run('env', 'define', '--file', writeEnvironments(dir), '--json');
    expect(defined.code).toBe(0);
    expect(Documents.environments.parse(defined.json()).environments.map((e) => e.definition.id)).toEqual([
      'staging',
      'production',
    ]);
    const list = await run('env', 'list');
    expect(list.stdout).toMatch(/^ENVIRONMENT\s+STATUS\s+ACTIVE/);
    expect(list.stdout).toMatch(/production\s+ready/);
    const show = await run('env', 'show', 'production', '--json');
    expect(Documents.environment.parse(show.json()).environment.definition.policy.approvals.roles).toEqual(['ops']);
  });

  it('promotes a bundle named project@version through staging, then asks production for an approval', async () => {
    await storeBundles(dir, ['1.0.0', '1.1.0']);
    const staging = await run('--as', 'alice', 'promote', 'churn@1.0.0', '--to', 'staging', '--json');
    expect(staging.code).toBe(0);
    expect(Documents.deployment.parse(staging.json()).deployment.status).toBe('active');

    const production = await run(
      '--as',
      'alice',
      'promote',
      'churn@1.0.0',
      '--to',
      'production',
      '--reason',
      'first model',
      '--json',
    );
    const deployment = Documents.deployment.parse(production.json()).deployment;
    expect(deployment).toMatchObject({ status: 'awaiting_approval', environment: 'production', reason: 'first model' });

    const plan = await run('plan', deployment.id, '--json');
    const planned = Documents.plan.parse(plan.json()).plan;
    expect(planned.bundle.version).toBe('1.0.0');
    expect(planned.gates.find((g) => g.gate === 'approvals')?.status).toBe('pending');
    // A plan of the bundle for production is the same plan, printed as the engine words it.
    const human = await run('plan', 'churn@1.0.0', '--to', 'production');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Plan: churn@1\.0\.0 → production/);
    expect(human.stdout).toMatch(/queue-full: will wait behind production\/000001/);
  });

  it('approve: the requester is refused (1), no TTY without --yes is refused (2), another operator approves', async () => {
    const id = 'production/000001';
    const self = await run('--as', 'alice', 'approve', id, '--yes', '--json');
    expect(self.code).toBe(1);
    expect(Documents.error.parse(self.json()).error).toMatchObject({ code: 'POLICY_DENIED', exitCode: 1 });

    const unconfirmed = await run('--as', 'olivia', 'approve', id);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/needs confirmation: run it on a terminal, or pass --yes/);

    const approved = await run('--as', 'olivia', 'approve', id, '--yes', '--comment', 'looks right', '--json');
    expect(approved.code).toBe(0);
    const deployment = Documents.deployment.parse(approved.json()).deployment;
    expect(deployment.status).toBe('active');
    expect(deployment.approvals.map((a) => [a.by.id, a.comment])).toEqual([['olivia', 'looks right']]);
  });

  it('status, history and timeline show what happened and who did it', async () => {
    const status = Documents.status.parse((await run('status', '--json')).json());
    const production = status.environments.find((v) => v.environment.definition.id === 'production');
    expect(production?.environment.active?.snapshot.version).toBe('1.0.0');
    expect(production?.inFlight).toBeNull();

    const history = Documents.deployments.parse((await run('history', '--env', 'production', '--json')).json());
    expect(history.deployments.map((d) => [d.id, d.status])).toEqual([['production/000001', 'active']]);
    const byOlivia = Documents.deployments.parse((await run('history', '--actor', 'olivia', '--json')).json());
    expect(byOlivia.deployments.map((d) => d.id)).toEqual(['production/000001']);
    const table = await run('history', '--limit', '5');
    expect(table.stdout).toMatch(/production\/000001\s+promotion\s+churn@1\.0\.0\s+active\s+alice/);

    const timeline = await run('timeline', 'production');
    expect(timeline.stdout).toMatch(/production\/000001\s+requested 1\.0\.0\s+alice\s+first model/);
    expect(timeline.stdout).toMatch(/awaiting_approval → approved\s+olivia/);
    const entries = Documents.timeline.parse((await run('timeline', 'production', '--json')).json()).entries;
    expect(entries.every((e) => e.environment === 'production')).toBe(true);

    const explained = Documents.explanation.parse((await run('explain', 'production/000001', '--json')).json());
    expect(explained.explanation.text.length).toBeGreaterThan(0);
    expect(Documents.health.parse((await run('health', 'production', '--json')).json()).health.environment).toBe(
      'production',
    );
  });

  it('ships 1.1.0 by an id prefix, then an operator rolls production back to 1.0.0', async () => {
    const [, next] = await storeBundlesIds();
    const prefix = (next as string).slice(7, 19);
    expect((await run('--as', 'alice', 'promote', prefix, '--to', 'staging')).code).toBe(0);
    const requested = await run('--as', 'alice', 'promote', prefix, '--to', 'production', '--json');
    const id = Documents.deployment.parse(requested.json()).deployment.id;
    expect((await run('--as', 'olivia', 'approve', id, '--yes')).code).toBe(0);

    const refused = await run('--as', 'alice', 'rollback', 'production', '--reason', 'error rate', '--yes');
    expect(refused.code).toBe(1);
    const unconfirmed = await run('--as', 'olivia', 'rollback', 'production', '--reason', 'error rate');
    expect(unconfirmed.code).toBe(2);
    const rolled = await run(
      '--as',
      'olivia',
      'rollback',
      'production',
      '--reason',
      'error rate 12%',
      '--yes',
      '--json',
    );
    expect(rolled.code).toBe(0);
    const rollback = Documents.deployment.parse(rolled.json()).deployment;
    expect(rollback).toMatchObject({ kind: 'rollback', version: '1.0.0', status: 'active', reason: 'error rate 12%' });

    const status = Documents.status.parse((await run('status', 'production', '--json')).json());
    expect(status.environments[0]?.environment.active?.deploymentId).toBe(rollback.id);
    const history = Documents.deployments.parse((await run('history', '--env', 'production', '--json')).json());
    expect(history.deployments.map((d) => d.kind)).toEqual(['rollback', 'promotion', 'promotion']);
  });
});

/** The ids of the bundles stored earlier (storing them again is idempotent: same content, same id). */
async function storeBundlesIds(): Promise<string[]> {
  const listed = await run('history', '--json');
  expect(listed.code).toBe(0);
  return (await storeBundles(dir, ['1.0.0', '1.1.0'])).map((b) => b.id);
}
