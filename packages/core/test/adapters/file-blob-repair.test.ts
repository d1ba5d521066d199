import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBlobStore } from '@railyard/core/adapters';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bytesOf = (size: number, seed: number) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251));
const pathOf = (dir: string, digest: string) => {
  const hex = digest.slice('sha256:'.length);
  return join(dir, 'sha256', hex.slice(0, 2), hex);
};

describe('fileBlobStore repairs a damaged blob on put', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'railyard-repair-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['same size, other bytes', (good: Buffer) => bytesOf(good.length, 7)],
    ['truncated', (good: Buffer) => good.subarray(0, good.length - 1)],
    ['extended', (good: Buffer) => Buffer.concat([good, Buffer.from('x')])],
  ])('a put of the right bytes replaces a blob %s behind the store', async (_, damage) => {
    const blobs = fileBlobStore({ dir });
    const good = bytesOf(70_000, 1);
    const { digest } = await blobs.put(good);
    await writeFile(pathOf(dir, digest), damage(good));
    expect(
      createHash('sha256')
        .update(await readFile(pathOf(dir, digest)))
        .digest('hex'),
    ).not.toBe(digest.slice('sha256:'.length));
    expect(await blobs.put(good, { digest, size: good.length })).toEqual({ digest, size: good.length });
    expect(Buffer.compare(await readFile(pathOf(dir, digest)), good)).toBe(0);
  });

  it('a put of wrong bytes under the digest is refused and leaves the damaged file as it was', async () => {
    const blobs = fileBlobStore({ dir });
    const good = bytesOf(1000, 1);
    const { digest } = await blobs.put(good);
    const damaged = bytesOf(1000, 9);
    await writeFile(pathOf(dir, digest), damaged);
    await expect(blobs.put(damaged, { digest })).rejects.toMatchObject({ code: 'BLOB_INTEGRITY' });
    expect(Buffer.compare(await readFile(pathOf(dir, digest)), damaged)).toBe(0);
  });
});
