import { PassThrough } from 'node:stream';
import { createRailyard, defineStep, memoryBlobStore, memoryStateStore, type Railyard } from '@railyard/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '#internal/program.js';
import { localSite } from '#internal/site/local-site.js';

const ops = { id: 'olivia', roles: ['ops'] };
let production: Railyard;
/** What the commands take as now (the Railyard checks silences against its own wall clock). */
const now = Date.now();
const scored: string[] = [];

/** Runs the program in this process (no TTY) on one Railyard, as the local site would. */
async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) => {
    const stream = new PassThrough();
    stream.on('data', (chunk) => write(String(chunk)));
    return stream as unknown as NodeJS.WriteStream & NodeJS.ReadStream;
  };
  const code = await runCli(argv, {
    cwd: process.cwd(),
    env: { NO_COLOR: '1', RAILYARD_ACTOR: 'olivia', RAILYARD_ROLES: 'ops' },
    stdin: sink(() => {}),
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
    // The commands close the site after each run; this Railyard outlives them.
    openSite: async () => ({ ...localSite(production), close: async () => {} }),
    ask: async () => false,
    now: () => now,
  });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

beforeAll(async () => {
  production = createRailyard({
    store: memoryStateStore(),
    blobs: memoryBlobStore(),
    steps: {
      score: defineStep({
        params: z.object({ table: z.string() }),
        run: async ({ params }) => {
          scored.push(params.table);
        },
      }),
    },
    probes: { 'error-rate': () => 'pass' },
  });
  await production.environments.define({
    id: 'production',
    policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
    verification: { monitors: [{ id: 'error-rate', probe: 'error-rate', intervalMs: 60_000, failAfter: 2 }] },
  });
  await production.scenarios.define(
    { id: 'nightly-scoring', environment: 'production', steps: [{ type: 'score', params: { table: 'customers' } }] },
    { by: ops },
  );
});

describe('scenarios and silence, through the commands', () => {
  it('scenarios list shows the scenario; run drives it to its end; runs lists it', async () => {
    const list = await run('scenarios', 'list');
    expect(list.stdout).toMatch(/^SCENARIO\s+ENVIRONMENT\s+REVISION\nnightly-scoring\s+production\s+1$/m);

    const ran = await run('scenarios', 'run', 'nightly-scoring', '--json');
    expect(ran.code).toBe(0);
    expect(ran.json().run).toMatchObject({
      scenario: 'nightly-scoring',
      status: 'succeeded',
      trigger: { kind: 'manual' },
    });
    expect(scored).toEqual(['customers']);

    const queued = await run('scenarios', 'run', 'nightly-scoring', '--no-wait', '--json');
    expect(queued.json().run.status).toBe('queued');
    const runs = await run('scenarios', 'runs', '--scenario', 'nightly-scoring', '--json');
    expect(runs.json().runs.map((r: { status: string }) => r.status)).toEqual(['queued', 'succeeded']);
    expect((await run('scenarios', 'run', 'no-such-scenario')).code).toBe(3);
  });

  it('silence records a silence until now + duration; an unknown monitor is not found', async () => {
    const silenced = await run('silence', 'production', 'error-rate', '--for', '2h', '--reason', 'load test', '--json');
    expect(silenced.code).toBe(0);
    expect(silenced.json().silence).toMatchObject({
      environment: 'production',
      monitor: 'error-rate',
      until: new Date(now + 2 * 3_600_000).toISOString(),
      reason: 'load test',
      by: { id: 'olivia' },
    });
    expect((await production.monitors.silences('production')).map((s) => s.monitor)).toEqual(['error-rate']);
    expect((await run('silence', 'production', 'latency', '--for', '1h', '--reason', 'x')).code).toBe(3);
  });
});
