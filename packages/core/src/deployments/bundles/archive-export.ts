import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import tar, { type Pack } from 'tar-stream';
import {
  ARCHIVE_ENTRY,
  ARCHIVE_FORMAT,
  type ArchiveHeader,
  blobEntryName,
  signatureEntryName,
} from '../../bundle/archive/format.js';
import { canonicalJson, sha256Hex } from '../../bundle/canonical-json.js';
import { ProgressTracker } from '../../bundle/progress.js';
import type { BlobStore } from '../../contracts/blob-store.js';
import type { OnProgress } from '../../contracts/progress.js';
import { AdapterError, BlobIntegrityError, NotFoundError } from '../../errors/errors.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest } from '../../model/primitives.js';
import type { EngineContext } from '../../runtime/context.js';
import { getBundle } from './bundles.js';
import { bundleSignatures } from './signatures.js';

/**
 * Options of `bundles.export`.
 *
 * @example
 * ```ts
 * const stream = await railyard.bundles.export(bundle.id, { signatures: false });
 * ```
 */
export interface ExportArchiveOptions {
  /** Include the signatures recorded for the bundle (default `true`). */
  signatures?: boolean;
  /**
   * Called as blobs stream into the archive: blobs and blob bytes done out of the bundle's
   * distinct blobs (metadata entries are not counted). The last report comes before the stream ends.
   */
  onProgress?: OnProgress;
}

interface Blob {
  digest: string;
  size: number;
}

function addBytes(pack: Pack, name: string, bytes: Uint8Array, mtime: Date): Promise<void> {
  return new Promise((resolve, reject) => {
    pack
      .entry({ name, type: 'file', mode: 0o644, mtime }, Buffer.from(bytes), (error) =>
        error ? reject(error) : resolve(),
      )
      // The callback reports the entry's failure; the sink's own 'error' event would be uncaught.
      .on('error', () => undefined);
  });
}

function drained(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

async function addBlob(
  pack: Pack,
  blobs: BlobStore,
  blob: Blob,
  mtime: Date,
  progress: ProgressTracker,
): Promise<void> {
  const name = blobEntryName(blob.digest);
  const source = await blobs.get(blob.digest);
  if (!source) throw new BlobIntegrityError({ digest: blob.digest }, `Blob ${blob.digest} vanished during export.`);
  let sink: ReturnType<Pack['entry']> | undefined;
  const done = new Promise<void>((resolve, reject) => {
    sink = pack.entry({ name, type: 'file', mode: 0o644, mtime, size: blob.size }, (error) =>
      error ? reject(error) : resolve(),
    );
  });
  done.catch(() => undefined);
  sink!.on('error', () => undefined);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > blob.size) break;
    hash.update(chunk);
    progress.bytes(chunk.byteLength);
    if (!sink!.write(chunk)) await drained(sink!);
    if (pack.destroyed) return;
  }
  const actual = `sha256:${hash.digest('hex')}`;
  if (size !== blob.size || actual !== blob.digest) {
    throw new BlobIntegrityError(
      { digest: blob.digest, expectedSize: blob.size, actual: size === blob.size ? actual : null },
      `Blob ${blob.digest} in the blob store does not match its digest or size; the export was stopped. Run bundles.verify and restore the blob from a backup.`,
    );
  }
  sink!.end(null);
  await done;
  progress.fileDone();
}

/**
 * Writes a bundle as one tar archive: `railyard-archive.json`, `manifest.json` (the exact bytes
 * whose sha256 is the bundle id), `signatures/<keyId>.json`, then `blobs/sha256/<hex>` for each
 * distinct blob. Blobs stream from the store and are re-hashed on the way; nothing is buffered
 * whole. Entries carry the manifest's `createdAt` as mtime, so the same bundle and signatures
 * always give the same bytes. Missing blobs are reported before the stream starts.
 * @internal
 *
 * @example
 * ```ts
 * await pipeline(await exportArchive(context, id), createWriteStream('bundle.tar'));
 * ```
 */
export async function exportArchive(
  context: EngineContext,
  rawId: string,
  options: ExportArchiveOptions = {},
): Promise<Readable> {
  const id = parseInput(Digest, rawId, 'bundles.export id');
  const bundle = await getBundle(context, id);
  if (!bundle) throw new NotFoundError('bundle', id);
  const manifestBytes = Buffer.from(canonicalJson(bundle.manifest), 'utf8');
  if (`sha256:${sha256Hex(manifestBytes)}` !== id) {
    throw new BlobIntegrityError(
      { bundleId: id },
      `The stored manifest of ${id} no longer hashes to its id; the state store was changed outside Railyard. Restore it from a backup.`,
    );
  }
  const signatures = options.signatures === false ? [] : await bundleSignatures(context, id);
  signatures.sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
  const blobs = new Map<string, Blob>();
  for (const entry of bundle.manifest.entries) blobs.set(entry.digest, { digest: entry.digest, size: entry.size });
  for (const blob of blobs.values()) {
    const stat = await context.blobs.stat(blob.digest);
    if (!stat || stat.size !== blob.size) {
      throw new BlobIntegrityError(
        { bundleId: id, digest: blob.digest, expectedSize: blob.size, actualSize: stat?.size ?? null },
        `Cannot export ${id}: blob ${blob.digest} is ${stat ? `${stat.size} bytes, not ${blob.size}` : 'missing'}. Run bundles.verify and restore it first.`,
      );
    }
  }
  const header: ArchiveHeader = { format: ARCHIVE_FORMAT, bundleId: id };
  const mtime = new Date(bundle.manifest.createdAt);
  const bytesTotal = [...blobs.values()].reduce((sum, blob) => sum + blob.size, 0);
  const progress = new ProgressTracker({ filesTotal: blobs.size, bytesTotal }, options.onProgress);
  const pack = tar.pack();
  const write = async () => {
    await addBytes(pack, ARCHIVE_ENTRY.header, Buffer.from(canonicalJson(header), 'utf8'), mtime);
    await addBytes(pack, ARCHIVE_ENTRY.manifest, manifestBytes, mtime);
    for (const signature of signatures) {
      await addBytes(pack, signatureEntryName(signature.keyId), Buffer.from(canonicalJson(signature), 'utf8'), mtime);
    }
    for (const blob of blobs.values()) {
      if (pack.destroyed) return;
      await addBlob(pack, context.blobs, blob, mtime, progress);
    }
    progress.finish();
    pack.finalize();
  };
  write().catch((error: unknown) =>
    pack.destroy(
      error instanceof Error ? error : new AdapterError(`bundle export failed: ${String(error)}`, { cause: error }),
    ),
  );
  return Readable.from(pack, { objectMode: false });
}
