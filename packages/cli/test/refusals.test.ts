import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRailyard, fileBlobStore, fileStateStore } from '@railyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from './helpers/built-binary.js';
import { storeBundles, tempProject, writeEnvironments } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';
import { Documents } from './helpers/schemas.js';

const project = tempProject();
const dir = project.dir;
const run = (...args: string[]) => railyard(dir, args);

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(dir, 'railyard.config.json'), JSON.stringify({ actors: { alice: ['dev'], olivia: ['ops'] } }));
  expect((await run('env', 'define', '--file', writeEnvironments(dir))).code).toBe(0);
  await storeBundles(dir, ['1.0.0']);
}, 120_000);
afterAll(project.cleanup);

describe('railyard refusals: each a distinct exit code, a code, a message and what to do next', () => {
  it('bad usage and bad input exit 2 and change nothing stored', async () => {
    expect((await run('no-such-command')).code).toBe(2);
    expect((await run('promote', 'churn@1.0.0')).code).toBe(2); // --to is required
    expect((await run('history', '--limit', 'lots')).code).toBe(2);
    expect((await run('history', '--since', 'last tuesday')).code).toBe(2);

    writeFileSync(join(dir, 'broken.json'), '{ "id": "qa", ');
    const malformed = await run('env', 'define', '--file', 'broken.json', '--json');
    expect(malformed.code).toBe(2);
    expect(Documents.error.parse(malformed.json()).error).toMatchObject({ code: 'VALIDATION', exitCode: 2 });
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify({ id: 'qa', promotesFrom: ['nowhere'] }));
    const invalid = await run('env', 'define', '--file', 'invalid.json');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error VALIDATION: .*"nowhere", which is not defined/m);
    expect(invalid.stderr).toMatch(/^next: /m);
    const envs = Documents.environments.parse((await run('env', 'list', '--json')).json());
    expect(envs.environments.map((e) => e.definition.id).sort()).toEqual(['production', 'staging']);

    writeFileSync(join(dir, 'bad.config.ts'), 'export default {{{');
    const config = await run('--config', 'bad.config.ts', 'status');
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/could not be loaded/);
    expect(
      (await run('--as', 'olivia', 'silence', 'production', 'error-rate', '--for', 'soon', '--reason', 'x')).code,
    ).toBe(2);
  });

  it('unknown environments, deployments and bundles exit 3', async () => {
    const env = await run('env', 'show', 'qa', '--json');
    expect(env.code).toBe(3);
    expect(Documents.error.parse(env.json()).error).toMatchObject({ code: 'NOT_FOUND', exitCode: 3 });
    expect((await run('status', 'qa')).code).toBe(3);
    expect((await run('explain', 'production/000042')).code).toBe(3);
    expect((await run('--as', 'alice', 'promote', 'churn@9.9.9', '--to', 'staging')).code).toBe(3);
  });

  it('a decision on a finished deployment and a store held by another process exit 4', async () => {
    const promoted = await run('--as', 'alice', 'promote', 'churn@1.0.0', '--to', 'staging', '--json');
    const id = Documents.deployment.parse(promoted.json()).deployment.id;
    const twice = await run('--as', 'olivia', 'approve', id, '--yes');
    expect(twice.code).toBe(4);
    expect(twice.stderr).toMatch(/^error ILLEGAL_TRANSITION/m);

    const store = await fileStateStore({ dir: join(dir, '.railyard/state'), fsync: false });
    const holder = createRailyard({ store, blobs: fileBlobStore({ dir: join(dir, '.railyard/blobs') }) });
    try {
      const locked = await run('status', '--json');
      expect(locked.code).toBe(4);
      expect(Documents.error.parse(locked.json()).error.code).toBe('STORE_LOCKED');
    } finally {
      await holder.close();
    }
  });

  it('finds the config upward from a subdirectory, and takes a TypeScript config written with defineConfig', async () => {
    const sub = join(dir, 'models', 'deep');
    mkdirSync(sub, { recursive: true });
    // olivia has role ops only through the config found two directories up.
    const fromSub = await railyard(sub, ['--as', 'olivia', 'promote', 'churn@1.0.0', '--to', 'production', '--json']);
    const byOlivia = Documents.deployment.parse(fromSub.json()).deployment;
    expect(byOlivia.requestedBy).toEqual({ id: 'olivia', roles: ['ops'] });
    expect((await railyard(sub, ['--as', 'olivia', 'cancel', byOlivia.id])).code).toBe(0);

    const typed = join(dir, 'typed.config.ts');
    const entry = join(BIN, '..', 'index.js');
    writeFileSync(
      typed,
      `import { defineConfig } from ${JSON.stringify(entry)};\nconst roles: string[] = ['dev'];\nexport default defineConfig({ actors: { carol: roles } });\n`,
    );
    // carol has role dev only through the TypeScript config: she may request, not approve.
    const requested = await run(
      '--config',
      'typed.config.ts',
      '--as',
      'carol',
      'promote',
      'churn@1.0.0',
      '--to',
      'production',
      '--json',
    );
    expect(requested.code).toBe(0);
    const deployment = Documents.deployment.parse(requested.json()).deployment;
    expect(deployment.requestedBy).toEqual({ id: 'carol', roles: ['dev'] });
    expect((await run('--config', 'typed.config.ts', '--as', 'carol', 'cancel', deployment.id)).code).toBe(0);
  });
});
