import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@railyard/cli';
import { isRailyardError } from '@railyard/core/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#internal/config/load-config.js';
import { tempProject } from './helpers/project.js';

const project = tempProject();
afterAll(project.cleanup);

describe('loadConfig', () => {
  it('finds the nearest railyard.config.* upward and roots the project there', async () => {
    const config = defineConfig({ actors: { olivia: ['ops'] }, site: 'http://127.0.0.1:9' });
    writeFileSync(join(project.dir, 'railyard.config.json'), JSON.stringify(config));
    const deep = join(project.dir, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    const loaded = await loadConfig(deep);
    expect(loaded).toEqual({ config, file: join(project.dir, 'railyard.config.json'), root: project.dir });
    // A nearer .mjs config wins over the one above it.
    writeFileSync(join(project.dir, 'a', 'railyard.config.mjs'), 'export default { actors: { alice: ["dev"] } };');
    expect((await loadConfig(deep)).config).toEqual({ actors: { alice: ['dev'] } });
  });

  it('refuses a missing --config file and a config that exports no object, with VALIDATION', async () => {
    const codeOf = (explicit: string) =>
      loadConfig(project.dir, explicit).then(
        () => 'loaded',
        (error) => (isRailyardError(error) ? error.code : 'other'),
      );
    expect(await codeOf('nowhere.config.ts')).toBe('VALIDATION');
    writeFileSync(join(project.dir, 'list.config.mjs'), 'export default [1, 2];');
    expect(await codeOf('list.config.mjs')).toBe('VALIDATION');
  });
});
