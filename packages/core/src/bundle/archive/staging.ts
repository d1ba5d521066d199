import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '../../contracts/blob-store.js';
import { BlobIntegrityError, ValidationError } from '../../errors/errors.js';
import { blobEntryName, NOTHING_IMPORTED } from './format.js';

/**
 * A blob the manifest names: what its bytes must hash to and how many there must be.
 * @internal
 *
 * @example
 * ```ts
 * const expected: ExpectedBlob = { digest: entry.digest, size: entry.size };
 * ```
 */
export interface ExpectedBlob {
  digest: string;
  size: number;
}

/**
 * A fresh private directory (`mkdtemp`, mode 0700) where an import writes the blobs it reads, so
 * that nothing reaches the blob store before the whole archive is verified. Files are named only
 * by the hex digest the format allows and opened exclusively; no archive path touches the disk.
 * @internal
 *
 * @example
 * ```ts
 * const staging = await ArchiveStaging.open();
 * try { await staging.receive(blobs, expected, body); await staging.publish(blobs); } finally { await staging.dispose(); }
 * ```
 */
export class ArchiveStaging {
  private readonly staged = new Map<string, { file: string; size: number }>();

  private constructor(readonly dir: string) {}

  /** Creates the staging directory under `parent` (default: the OS temp directory). */
  static async open(parent?: string): Promise<ArchiveStaging> {
    const base = parent ?? tmpdir();
    try {
      return new ArchiveStaging(await mkdtemp(join(base, 'railyard-import-')));
    } catch (error) {
      throw new ValidationError(
        `bundles.import: cannot create a staging directory under "${base}" (${error instanceof Error ? error.message : String(error)}). Pass an existing, writable stagingDir.`,
        { cause: error },
      );
    }
  }

  /**
   * Streams one blob's bytes, hashing them; stages them unless the store already holds the blob.
   * Throws `BlobIntegrityError` when digest or size differ from the manifest.
   */
  async receive(blobs: BlobStore, expected: ExpectedBlob, body: AsyncIterable<Uint8Array>): Promise<void> {
    const hex = expected.digest.slice('sha256:'.length);
    const file = (await blobs.has(expected.digest)) ? null : join(this.dir, hex);
    const handle = file ? await open(file, 'wx', 0o600) : null;
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > expected.size) break;
        hash.update(chunk);
        if (handle) await handle.write(chunk);
      }
    } finally {
      await handle?.close();
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (size !== expected.size || actual !== expected.digest) {
      const entry = blobEntryName(expected.digest);
      throw new BlobIntegrityError(
        {
          entry,
          expected: expected.digest,
          actual: size === expected.size ? actual : null,
          expectedSize: expected.size,
        },
        size !== expected.size
          ? `Archive entry "${entry}" does not hold the ${expected.size} bytes the manifest declares. ${NOTHING_IMPORTED}`
          : `Archive entry "${entry}" hashes to ${actual}, not to the digest its name and the manifest give: the archive is corrupt or was tampered with. ${NOTHING_IMPORTED}`,
      );
    }
    if (file) this.staged.set(expected.digest, { file, size });
  }

  /**
   * Puts every staged blob into the store (which verifies each again). A failure part-way leaves
   * the blobs already put: a concurrent import, build or transfer may have found one present and
   * recorded a bundle that needs it, so a failed import never deletes a blob.
   */
  async publish(blobs: BlobStore): Promise<void> {
    for (const [digest, { file, size }] of this.staged) {
      if (await blobs.has(digest)) continue;
      await blobs.put(createReadStream(file), { digest, size });
    }
  }

  /** Removes the staging directory and everything in it. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
