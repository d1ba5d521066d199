import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { globToRegExp } from '#internal/bundle/glob.js';
import { baseFiles, writeProject } from './project-fixture.js';

const designer = { id: 'designer', roles: [] };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function project(files: Record<string, string> = baseFiles, descriptor?: unknown) {
  const written = await writeProject(files, descriptor);
  cleanups.push(written.cleanup);
  return written.dir;
}

function site() {
  const blobs = memoryBlobStore();
  return { blobs, railyard: createRailyard({ store: memoryStateStore(), blobs }) };
}

describe('bundles.build', () => {
  it('bundles the included files with kinds, requirements and scenarios from the descriptor', async () => {
    const { railyard } = site();
    const dir = await project();
    const bundle = await railyard.bundles.build({
      dir,
      version: '1.0.0',
      createdBy: designer,
      source: { revision: 'abc123' },
    });
    expect(bundle.manifest.entries.map((e) => [e.path, e.kind])).toEqual([
      ['models/churn.onnx', 'model'],
      ['notes/readme.md', undefined],
      ['pipelines/score.sql', 'pipeline'],
      ['settings.yaml', 'config'],
    ]);
    expect(bundle.manifest).toMatchObject({
      project: 'churn-model',
      requirements: { variables: ['REGION'], connections: ['warehouse'] },
      scenarios: [{ id: 'smoke' }],
      source: { revision: 'abc123' },
      createdBy: 'designer',
    });
    expect(JSON.stringify(bundle.manifest)).not.toContain('SAMPLE_ROWS');
    expect(await railyard.bundles.verify(bundle.id)).toMatchObject({ ok: true, checked: 4, problems: [] });
  });

  it('stores only the changed file on a rebuild, and is idempotent for the same content', async () => {
    const { railyard, blobs } = site();
    const dir = await project();
    const first = await railyard.bundles.build({ dir, version: '1.0.0', createdBy: designer });
    expect(blobs.blobs.size).toBe(4);
    const again = await railyard.bundles.build({ dir, version: '1.0.0', createdBy: designer });
    expect(again.id).toBe(first.id);
    await writeFile(join(dir, 'models/churn.onnx'), 'weights-v2');
    await expect(railyard.bundles.build({ dir, version: '1.0.0', createdBy: designer })).rejects.toMatchObject({
      code: 'BUNDLE_CONFLICT',
    });
    const second = await railyard.bundles.build({ dir, version: '1.1.0', createdBy: designer });
    expect(blobs.blobs.size).toBe(5);
    const diff = await railyard.bundles.diff(first.id, second.id);
    expect(diff).toMatchObject({
      added: [],
      removed: [],
      unchanged: 3,
      bytesToTransfer: 10,
      version: { from: '1.0.0', to: '1.1.0' },
    });
    expect(diff.changed.map((c) => c.path)).toEqual(['models/churn.onnx']);
    expect(diff.text).toContain('~ models/churn.onnx (10 B → 10 B)');
  });

  it('refuses a descriptor with unknown fields, a missing descriptor, and links inside the project', async () => {
    const { railyard } = site();
    const bad = await project({ 'a.txt': 'a' }, { project: 'p', secret: 1 });
    await expect(railyard.bundles.build({ dir: bad, version: '1.0.0', createdBy: designer })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      railyard.bundles.build({ dir: '/nonexistent/project', version: '1.0.0', createdBy: designer }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const linked = await project({ 'a.txt': 'a' });
    await symlink('/etc/passwd', join(linked, 'passwd'));
    await expect(railyard.bundles.build({ dir: linked, version: '1.0.0', createdBy: designer })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('symbolic link'),
    });
  });

  it('reports a flipped, truncated or extended blob in verify, entry by entry', async () => {
    const { railyard, blobs } = site();
    const bundle = await railyard.bundles.build({ dir: await project(), version: '1.0.0', createdBy: designer });
    const [a, b, c] = bundle.manifest.entries;
    const bytes = (d: string) => blobs.blobs.get(d)!;
    blobs.blobs.set(
      a!.digest,
      Uint8Array.from(bytes(a!.digest), (x, i) => (i === 0 ? x ^ 1 : x)),
    );
    blobs.blobs.set(b!.digest, bytes(b!.digest).subarray(1));
    blobs.blobs.set(c!.digest, Uint8Array.from([...bytes(c!.digest), 10]));
    const report = await railyard.bundles.verify(bundle.id);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.path, p.problem])).toEqual([
      [a!.path, 'altered'],
      [b!.path, 'altered'],
      [c!.path, 'altered'],
    ]);
  });
});

describe('globs', () => {
  it.each([
    ['models/**', 'models/a/b.onnx', true],
    ['models/**', 'other/models/x', false],
    ['*.sql', 'pipelines/deep/score.sql', true],
    ['pipelines/*.sql', 'pipelines/deep/score.sql', false],
    ['**/*.{yaml,yml}', 'conf/app.yml', true],
    ['data/[ab].csv', 'data/b.csv', true],
    ['data/[!ab].csv', 'data/a.csv', false],
    ['file?.txt', 'file1.txt', true],
    ['a.b', 'axb', false],
  ])('%s against %s is %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});
