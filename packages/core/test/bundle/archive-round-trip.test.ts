import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createRailyard, fileBlobStore, memoryBlobStore, memoryStateStore } from '@railyard/core';
import type { BlobStore } from '@railyard/core/adapters';
import { BlobIntegrityError, NotFoundError, ValidationError } from '@railyard/core/errors';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  collect,
  createSite,
  designBundle,
  designer,
  operator,
  readParts,
  sha256,
  snapshot,
} from './archive-helpers.js';

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'railyard-archive-rt-'));
  temps.push(dir);
  return dir;
}

async function blobBytes(blobs: BlobStore, digest: string): Promise<Buffer> {
  return collect((await blobs.get(digest))!);
}

describe('bundle archives: export and import', () => {
  it('writes the header, the manifest bytes that hash to the id, signatures, then each distinct blob once', async () => {
    const { bundle, parts } = await designBundle();
    const digests = [...new Set(bundle.manifest.entries.map((e) => e.digest))];
    expect(parts.map((p) => p.name)).toEqual([
      'railyard-archive.json',
      'manifest.json',
      'signatures/release.json',
      ...digests.map((d) => `blobs/sha256/${d.slice(7)}`),
    ]);
    expect(JSON.parse(Buffer.from(parts[0]!.content!).toString())).toEqual({
      format: 'railyard.archive/v1',
      bundleId: bundle.id,
    });
    expect(sha256(parts[1]!.content!)).toBe(bundle.id);
    for (const blob of parts.slice(3)) expect(sha256(blob.content!)).toBe(`sha256:${blob.name.slice(13)}`);
  });

  it('round-trips into a second site with fresh stores: same id, verified signatures, promotable', async () => {
    const { site: design, bundle, release, archive } = await designBundle();
    const production = await createSite();
    await production.railyard.environments.define({
      id: 'production',
      policy: { signatures: { required: 1, keys: { release: release.publicKey } } },
    });
    const imported = await production.import(archive, {
      trustedKeys: { release: release.publicKey },
      requireSignatures: 1,
    });
    expect(imported.id).toBe(bundle.id);
    expect(imported.manifest).toEqual(bundle.manifest);
    expect(await production.railyard.bundles.signatures(bundle.id)).toEqual(
      await design.railyard.bundles.signatures(bundle.id),
    );
    for (const entry of bundle.manifest.entries) {
      expect(await blobBytes(production.blobs, entry.digest)).toEqual(await blobBytes(design.blobs, entry.digest));
    }
    expect((await production.railyard.bundles.verify(bundle.id)).ok).toBe(true);
    const deployment = await production.railyard.promote({ bundle: bundle.id, to: 'production', by: operator });
    await production.railyard.settle();
    expect((await production.railyard.deployment(deployment.id))?.status).toBe('active');
    expect((await snapshot(production)).staging).toEqual([]);
  });

  it('exports the same bytes for the same bundle and signatures', async () => {
    const { site, bundle, archive } = await designBundle();
    expect(await collect(await site.railyard.bundles.export(bundle.id))).toEqual(archive);
  });

  it('streams through files on file blob stores at both ends, in small chunks', async () => {
    const dir = await tempDir();
    const clock = createFakeClock('2026-03-02T09:00:00.000Z');
    const source = createRailyard({ store: memoryStateStore(), blobs: fileBlobStore({ dir: join(dir, 'a') }), clock });
    const target = createRailyard({ store: memoryStateStore(), blobs: fileBlobStore({ dir: join(dir, 'b') }), clock });
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const bundle = await source.bundles.create({
      project: 'big',
      version: '1.0.0',
      createdBy: designer,
      entries: [
        { path: 'model.bin', content: big },
        { path: 'notes.txt', content: 'hello' },
      ],
    });
    const file = join(dir, 'big.tar');
    await pipeline(await source.bundles.export(bundle.id), createWriteStream(file));
    const imported = await target.bundles.import(createReadStream(file, { highWaterMark: 4096 }), {
      by: operator,
      stagingDir: dir,
    });
    expect(imported.id).toBe(bundle.id);
    expect((await target.bundles.verify(bundle.id)).ok).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['a', 'b', 'big.tar']);
    await source.close();
    await target.close();
  });

  it('accepts any async iterable of bytes, however it is chunked', async () => {
    const { bundle, archive } = await designBundle();
    const target = await createSite();
    async function* sevenBytesAtATime() {
      for (let offset = 0; offset < archive.length; offset += 7) yield archive.subarray(offset, offset + 7);
    }
    expect((await target.import(sevenBytesAtATime())).id).toBe(bundle.id);
  });

  it('is idempotent, and only stores the blobs a site lacks', async () => {
    const { bundle, archive } = await designBundle();
    const target = await createSite('file');
    const shared = await target.blobs.put(Buffer.from('same bytes'));
    const putDigests: string[] = [];
    const put = target.blobs.put.bind(target.blobs);
    target.blobs.put = async (source, options) => {
      const info = await put(source, options);
      putDigests.push(info.digest);
      return info;
    };
    await target.import(archive);
    expect(putDigests).not.toContain(shared.digest);
    expect(putDigests).toHaveLength(3);
    const before = await snapshot(target);
    expect((await target.import(archive)).id).toBe(bundle.id);
    expect(await snapshot(target)).toEqual(before);
  });

  it('records nothing when the blob store fails part-way through publishing, and keeps the blobs already put', async () => {
    const { archive } = await designBundle();
    const target = await createSite();
    const before = await snapshot(target);
    const put = target.blobs.put.bind(target.blobs);
    let calls = 0;
    target.blobs.put = async (source, options) => {
      calls += 1;
      if (calls === 3) throw new Error('disk full');
      return put(source, options);
    };
    await expect(target.import(archive)).rejects.toMatchObject({ code: 'ADAPTER' });
    expect(calls).toBe(3);
    // No bundle, signature, journal entry or staging left; the two blobs put stay (others may rely on them).
    const after = await snapshot(target);
    expect({ ...after, blobs: before.blobs }).toEqual(before);
    expect(after.blobs).toHaveLength(before.blobs.length + 2);
    // The same archive imports once the store works again, reusing them.
    target.blobs.put = put;
    expect((await target.import(archive)).id).toBeDefined();
  });

  it('leaves signatures out when asked', async () => {
    const { site, bundle } = await designBundle();
    const parts = await readParts(await collect(await site.railyard.bundles.export(bundle.id, { signatures: false })));
    expect(parts.map((p) => p.name).filter((n) => n.startsWith('signatures/'))).toEqual([]);
  });

  it('refuses to export an unknown bundle or one whose blobs are missing, before streaming', async () => {
    const { site, bundle } = await designBundle();
    await expect(site.railyard.bundles.export(`sha256:${'0'.repeat(64)}`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(site.railyard.bundles.export('latest')).rejects.toBeInstanceOf(ValidationError);
    await site.blobs.delete(bundle.manifest.entries[0]!.digest);
    await expect(site.railyard.bundles.export(bundle.id)).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('stops an export stream whose blob changed in the store, with a typed error', async () => {
    const { site, bundle } = await designBundle();
    const weights = bundle.manifest.entries.find((e) => e.path === 'model/weights.bin')!;
    const flipped = Buffer.from(site.memory!.get(weights.digest)!);
    flipped[10] = (flipped[10] ?? 0) ^ 0xff;
    site.memory!.set(weights.digest, flipped);
    await expect(collect(await site.railyard.bundles.export(bundle.id))).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('lets a reader stop an export early', async () => {
    const { site, bundle } = await designBundle();
    const stream = await site.railyard.bundles.export(bundle.id);
    for await (const chunk of stream) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });

  it('imports from a file and an fs stream without touching anything outside its staging directory', async () => {
    const { bundle, archive } = await designBundle();
    const dir = await tempDir();
    await writeFile(join(dir, 'bundle.tar'), archive);
    const target = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
    const imported = await target.bundles.import(createReadStream(join(dir, 'bundle.tar')), {
      by: operator,
      stagingDir: dir,
    });
    expect(imported.id).toBe(bundle.id);
    expect(await readdir(dir)).toEqual(['bundle.tar']);
  });
});
