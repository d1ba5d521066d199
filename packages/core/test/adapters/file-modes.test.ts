import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBlobStore, openFileStateStore } from '@railyard/core/adapters';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** Every path under `dir` (itself excluded), depth first. */
async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    found.push(path);
    if (entry.isDirectory()) found.push(...(await walk(path)));
  }
  return found;
}

describe('file stores create owner-only files and directories', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'railyard-modes-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('the state store: its directory is 0700, its lock, log and snapshot 0600', async () => {
    const dir = join(root, 'state', 'nested');
    const store = await openFileStateStore({ dir, compactAfter: 1 });
    await store.commit({ writes: [{ kind: 'note', id: 'a', expectedVersion: null, value: { n: 1 } }], journal: [] });
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(dir, 'lock'))).toBe(0o600);
    const names = await readdir(dir);
    expect(names).toEqual(expect.arrayContaining(['log.ndjson', 'snapshot.json', 'lock']));
    for (const name of names) expect([name, await modeOf(join(dir, name))]).toEqual([name, 0o600]);
    await store.close();
  });

  it('the blob store: every directory 0700, every blob 0600', async () => {
    const dir = join(root, 'blobs');
    const blobs = fileBlobStore({ dir });
    await blobs.put(new TextEncoder().encode('one'));
    await blobs.put(new TextEncoder().encode('two'));
    const paths = await walk(dir);
    expect(paths.length).toBeGreaterThan(4);
    expect(await modeOf(dir)).toBe(0o700);
    for (const path of paths) {
      const isDir = (await stat(path)).isDirectory();
      expect([path, await modeOf(path)]).toEqual([path, isDir ? 0o700 : 0o600]);
    }
  });
});
