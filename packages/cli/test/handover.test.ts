import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRailyard, fileBlobStore, fileStateStore } from '@railyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { tempProject } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';

const project = tempProject();
const dir = project.dir;
const run = (args: string[], env: Record<string, string> = {}) => railyard(dir, args, env);
const itOps = { RAILYARD_ROLES: 'it-ops' };

beforeAll(ensureBuilt, 120_000);
afterAll(project.cleanup);

async function storeBundleWithCard(): Promise<void> {
  const site = createRailyard({
    store: await fileStateStore({ dir: join(dir, '.railyard/state'), fsync: false }),
    blobs: fileBlobStore({ dir: join(dir, '.railyard/blobs'), fsync: false }),
  });
  try {
    await site.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'models/churn.bin', content: 'weights' }],
      createdBy: { id: 'alice', roles: ['dev'] },
      card: {
        purpose: 'Scores customers by churn risk.',
        owners: [{ name: 'analytics', kind: 'group', contact: 'analytics@example.com' }],
        risks: ['stale features'],
      },
    });
  } finally {
    await site.close();
  }
}

describe('railyard handover show|accept|withdraw, locally', () => {
  it('holds approval until an it-ops owner accepts the card, then shows and withdraws the acceptance', async () => {
    expect((await run(['init'])).code).toBe(0);
    const file = join(dir, 'environments.json');
    writeFileSync(
      file,
      JSON.stringify([
        { id: 'staging' },
        {
          id: 'production',
          promotesFrom: ['staging'],
          owners: ['IT operations'],
          policy: {
            approvals: { required: 1, roles: ['ops'] },
            operatorRoles: ['ops'],
            handover: { role: 'it-ops', sections: ['owners', 'risks'] },
          },
        },
      ]),
    );
    expect((await run(['env', 'define', '--file', file])).code).toBe(0);
    await storeBundleWithCard();
    expect((await run(['--as', 'alice', 'promote', 'churn@1.0.0', '--to', 'staging'])).code).toBe(0);
    const requested = await run(['--as', 'alice', 'promote', 'churn@1.0.0', '--to', 'production', '--json']);
    const id = (requested.json() as { deployment: { id: string } }).deployment.id;

    const plan = (await run(['plan', id, '--json'])).json() as {
      plan: { card: { digest: string }; gates: { gate: string; status: string; reason: string }[] };
    };
    expect(plan.plan.gates.find((g) => g.gate === 'handover')).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('waiting for handover acceptance by role it-ops'),
    });
    const refused = await run(['--as', 'olivia', 'approve', id, '--yes', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({ error: { code: 'POLICY_DENIED', details: { rule: 'handover' } } });

    const digest = plan.plan.card.digest;
    const byAuthor = await run(
      ['--as', 'alice', 'handover', 'accept', 'production', 'churn', '--card', digest, '--comment', 'me'],
      itOps,
    );
    expect(byAuthor.code).toBe(1);
    const accepted = await run(
      [
        '--as',
        'ines',
        'handover',
        'accept',
        'production',
        'churn',
        '--card',
        digest,
        '--comment',
        'reviewed with analytics',
      ],
      itOps,
    );
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain(`Accepted churn in production (card ${digest})`);
    expect((await run(['--as', 'olivia', 'approve', id, '--yes'])).code).toBe(0);

    const shown = await run(['handover', 'show', 'production', 'churn']);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toMatch(/^churn in production: accepted by ines .* for 1\.0\.0: reviewed with analytics/);
    expect(shown.stdout).toContain('risks: stale features');

    const withdrawn = await run(
      ['--as', 'ines', 'handover', 'withdraw', 'production', 'churn', '--reason', 'owners moved', '--json'],
      itOps,
    );
    expect(withdrawn.code).toBe(0);
    const view = (await run(['handover', 'show', 'production', 'churn', '--json'])).json() as {
      handover: { status: string };
      history: { action: string; by: { id: string } }[];
    };
    expect(view.handover.status).toBe('withdrawn');
    expect(view.history.map((h) => [h.action, h.by.id])).toEqual([
      ['accepted', 'ines'],
      ['withdrawn', 'ines'],
    ]);
  });
});
