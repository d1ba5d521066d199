import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBlobStore, openFileStateStore } from '@railyard/core/adapters';
import { runBlobStoreConformance, runStateStoreConformance } from '@railyard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileBlobProbe, fileStateProbe } from './file-store-probe.js';

const framework = { describe, it, expect, beforeEach, afterEach };
const tempDir = () => mkdtemp(join(tmpdir(), 'railyard-file-'));

runStateStoreConformance(framework, {
  name: 'fileStateStore',
  capabilities: { watch: true, claim: false, journalHead: true, nonces: true },
  async create() {
    const dir = await tempDir();
    const store = await openFileStateStore({ dir });
    return { store, probe: fileStateProbe(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
});

runStateStoreConformance(framework, {
  name: 'fileStateStore (compacting after every 3 commits)',
  capabilities: { watch: true, claim: false, journalHead: true, nonces: true },
  async create() {
    const dir = await tempDir();
    const store = await openFileStateStore({ dir, compactAfter: 3 });
    return { store, probe: fileStateProbe(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
});

runBlobStoreConformance(framework, {
  name: 'fileBlobStore',
  async create() {
    const dir = await tempDir();
    return {
      blobs: fileBlobStore({ dir }),
      probe: fileBlobProbe(dir),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describe('fileBlobStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lays blobs out as sha256/<first two hex>/<hex>, writing chunks larger than its buffer', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 251);
    const hex = createHash('sha256').update(bytes).digest('hex');
    const info = await fileBlobStore({ dir }).put(bytes);
    expect(info).toEqual({ digest: `sha256:${hex}`, size: bytes.byteLength });
    expect(Buffer.compare(await readFile(join(dir, 'sha256', hex.slice(0, 2), hex)), bytes)).toBe(0);
  });

  it('leaves no temp file behind when a put is refused or its source fails', async () => {
    const blobs = fileBlobStore({ dir });
    await expect(blobs.put(new Uint8Array([1, 2, 3]), { size: 2 })).rejects.toMatchObject({ code: 'BLOB_INTEGRITY' });
    await expect(
      blobs.put(
        (async function* () {
          yield new Uint8Array([1]);
          throw new Error('source broke');
        })(),
      ),
    ).rejects.toThrow('source broke');
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('serves blobs as 1 MiB-chunk read streams, to any instance on the same directory', async () => {
    const { digest } = await fileBlobStore({ dir }).put(new TextEncoder().encode('shared'));
    const stream = await fileBlobStore({ dir }).get(digest);
    expect(stream?.readableHighWaterMark).toBe(1024 * 1024);
    const chunks: Buffer[] = [];
    for await (const chunk of stream ?? []) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('shared');
  });
});
