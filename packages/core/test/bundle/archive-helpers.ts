import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BundleRecord,
  createRailyard,
  fileBlobStore,
  type ImportArchiveOptions,
  memoryBlobStore,
  memoryStateStore,
  type Railyard,
} from '@railyard/core';
import type { BlobStore } from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import tar from 'tar-stream';
import { canonicalJson } from '#internal/bundle/canonical-json.js';

export const designer = { id: 'designer', roles: ['dev'] };
export const operator = { id: 'operator', roles: ['ops'] };

/** One tar entry as the hostile-archive builder writes it. */
export interface Part {
  name: string;
  content?: Uint8Array;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'character-device' | 'fifo';
  linkname?: string;
  /** PAX records written for the entry (a `path` here overrides `name` when read). */
  pax?: Record<string, string>;
}

export const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
export const bytes = (text: string) => Buffer.from(text, 'utf8');

export function keyPair(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The entries of a tar, in order, with their bytes. */
export async function readParts(archive: Uint8Array): Promise<Part[]> {
  const extract = tar.extract();
  extract.end(Buffer.from(archive));
  const parts: Part[] = [];
  for await (const entry of extract)
    parts.push({ name: entry.header.name, content: await collect(entry as AsyncIterable<Uint8Array>) });
  return parts;
}

/** Packs entries as they are given: any name, type, order or link, which is the point. */
export async function packParts(parts: readonly Part[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack as AsyncIterable<Uint8Array>);
  for (const part of parts) {
    const type = part.type ?? 'file';
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: part.name,
        type,
        mtime: new Date(0),
        ...(part.linkname ? { linkname: part.linkname } : {}),
        ...(part.pax ? { pax: part.pax } : {}),
      };
      const callback = (error?: Error | null) => (error ? reject(error) : resolve());
      if (type === 'file') pack.entry(header, Buffer.from(part.content ?? new Uint8Array()), callback);
      else pack.entry(header, callback).end(null);
    });
  }
  pack.finalize();
  return done;
}

const field = (block: Buffer, start: number, end: number) => block.toString('latin1', start, end).replace(/\0.*$/s, '');

/** Where an entry sits in a tar: its header block, and the offset and size of its data. */
export function findEntry(archive: Uint8Array, name: string): { header: number; data: number; size: number } {
  const buffer = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  for (let offset = 0; offset + 512 <= buffer.length; ) {
    const block = buffer.subarray(offset, offset + 512);
    const size = Number.parseInt(field(block, 124, 136).trim() || '0', 8);
    if (field(block, 0, 100) === name) return { header: offset, data: offset + 512, size };
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no tar entry named ${name}`);
}

/** Rewrites the size field of one tar header (and its checksum), leaving the data as it was. */
export function patchEntrySize(archive: Uint8Array, name: string, size: number): Buffer {
  const out = Buffer.from(archive);
  const block = out.subarray(findEntry(out, name).header).subarray(0, 512);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return out;
}

/**
 * Replaces the manifest by `mutate(manifest)` written as `write` does, fixes the header's bundle id,
 * and drops the signatures (they name the old id).
 */
export function withManifest(
  parts: readonly Part[],
  mutate: (manifest: Record<string, unknown>) => unknown,
  write: (value: unknown) => string = canonicalJson,
): Part[] {
  const manifest = JSON.parse(Buffer.from(part(parts, 'manifest.json').content!).toString('utf8'));
  const text = bytes(write(mutate(manifest)));
  return parts
    .filter((p) => !p.name.startsWith('signatures/'))
    .map((p) => {
      if (p.name === 'manifest.json') return { ...p, content: text };
      if (p.name === 'railyard-archive.json')
        return { ...p, content: bytes(canonicalJson({ format: 'railyard.archive/v1', bundleId: sha256(text) })) };
      return p;
    });
}

export function part(parts: readonly Part[], name: string): Part {
  const found = parts.find((p) => p.name === name);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

export const blobParts = (parts: readonly Part[]) => parts.filter((p) => p.name.startsWith('blobs/'));

/** A Railyard with a fake clock on a memory state store, a memory or file blob store, and a staging parent of its own. */
export interface Site {
  railyard: Railyard;
  blobs: BlobStore;
  /** The memory blob store's table (`null` on a file store). */
  memory: Map<string, Uint8Array> | null;
  /** Every blob the store holds, found out of band (the memory table, or the files on disk). */
  listBlobs(): Promise<string[]>;
  stagingDir: string;
  import(
    archive: Uint8Array | AsyncIterable<Uint8Array>,
    options?: Partial<ImportArchiveOptions>,
  ): Promise<BundleRecord>;
}

export async function createSite(kind: 'memory' | 'file' = 'memory'): Promise<Site> {
  const root = await mkdtemp(join(tmpdir(), 'railyard-archive-test-'));
  const stagingDir = join(root, 'staging');
  await mkdir(stagingDir);
  const memory = kind === 'memory' ? memoryBlobStore() : null;
  const blobs = memory ?? fileBlobStore({ dir: join(root, 'blobs'), fsync: false });
  const railyard = createRailyard({
    store: memoryStateStore(),
    blobs,
    clock: createFakeClock('2026-03-02T09:00:00.000Z'),
  });
  return {
    railyard,
    blobs,
    memory: memory?.blobs ?? null,
    async listBlobs() {
      if (memory) return [...memory.blobs.keys()].sort();
      const files = await readdir(join(root, 'blobs'), { recursive: true, withFileTypes: true }).catch(() => []);
      return files
        .filter((f) => f.isFile())
        .map((f) => f.name)
        .sort();
    },
    stagingDir,
    import: (archive, options = {}) => railyard.bundles.import(archive, { by: operator, stagingDir, ...options }),
  };
}

/** Everything an import could change: bundles, signatures, blobs, the journal, the staging area. */
export async function snapshot(site: Site) {
  const bundles = await site.railyard.bundles.list();
  const signatures = await Promise.all(bundles.map((b) => site.railyard.bundles.signatures(b.id)));
  return {
    bundles: bundles.map((b) => b.id).sort(),
    signatures: signatures.flat().map((s) => `${s.bundleId}/${s.keyId}`),
    blobs: await site.listBlobs(),
    journal: await site.railyard.journal.head(),
    staging: await readdir(site.stagingDir),
  };
}

/** A deterministic byte pattern of a given length. */
export function pattern(length: number, seed: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 17 + 7) % 251);
}

/** The design site's bundle: five entries, four distinct blobs, signed by `release`. */
export async function designBundle(release = keyPair(), version = '1.0.0') {
  const site = await createSite();
  const bundle = await site.railyard.bundles.create({
    project: 'churn',
    version,
    createdBy: designer,
    releaseNotes: 'First release.',
    entries: [
      { path: 'config/app.json', content: '{"threshold":0.7}', kind: 'config' },
      { path: 'data/a.txt', content: 'same bytes' },
      { path: 'data/b.txt', content: 'same bytes' },
      { path: 'pipelines/train.py', content: 'print("train")\n', kind: 'pipeline' },
      { path: 'model/weights.bin', content: pattern(5000, 1), kind: 'model' },
    ],
  });
  await site.railyard.bundles.sign(bundle.id, { keyId: 'release', privateKey: release.privateKey, by: designer });
  const archive = await collect(await site.railyard.bundles.export(bundle.id));
  return { site, bundle, release, archive, parts: await readParts(archive) };
}
