import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BlobInfo, BlobStore } from '../contracts/blob-store.js';
import { checkDigest } from './blob-digest.js';
import { checkPutOptions, digestStream } from './digest-stream.js';
import { DIR_MODE, errorCode, FILE_MODE, fsyncDir, writeAll } from './fs-durable.js';

const WRITE_BUFFER = 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

/** Options for {@link fileBlobStore}. */
export interface FileBlobStoreOptions {
  /** The store's directory; created on the first put. */
  dir: string;
  /**
   * Flush each blob and its directory entry to disk before `put` resolves (default `true`). `false`
   * is UNSAFE: after a crash a blob may be missing or truncated. Use it only for throwaway tests.
   */
  fsync?: boolean;
}

/** A {@link BlobStore} on the local file system; `get` returns a Node `ReadStream`. */
export interface FileBlobStore extends BlobStore {
  /** The store's directory (absolute). */
  readonly dir: string;
  /** The blob as a stream of 1 MiB chunks, or `null` when absent. */
  get(digest: string): Promise<ReadStream | null>;
}

/**
 * A content-addressed blob store in a directory: `dir/sha256/ab/<hex>`. `put` streams into a temp
 * file under `dir/tmp/` while hashing, checks the declared digest and size, flushes the file and
 * renames it into place, so a blob is either complete and verified or absent. A put of a blob
 * already present re-hashes the stored file and replaces it when it was damaged. Files are created
 * 0600 and directories 0700. Several processes may share one directory.
 *
 * @example
 * ```ts
 * const blobs = fileBlobStore({ dir: './.railyard/blobs' });
 * const { digest, size } = await blobs.put(createReadStream('model.onnx'));
 * const stream = await blobs.get(digest);
 * ```
 */
export function fileBlobStore(options: FileBlobStoreOptions): FileBlobStore {
  const dir = resolve(options.dir);
  const fsync = options.fsync ?? true;
  const tmpDir = join(dir, 'tmp');
  const pathOf = (digest: string) => {
    const hex = checkDigest(digest);
    return join(dir, 'sha256', hex.slice(0, 2), hex);
  };

  async function install(temp: string, info: BlobInfo): Promise<void> {
    const final = pathOf(info.digest);
    const shard = dirname(final);
    const created = await mkdir(shard, { recursive: true, mode: DIR_MODE });
    const found = await exists(final);
    if (found !== null && found.size === info.size && (await fileDigest(final)) === info.digest) {
      // Same digest, same bytes: keep the blob already there.
      await rm(temp, { force: true });
      return;
    }
    // Absent, or damaged behind the store's back: the verified temp file replaces it atomically
    // (a reader already streaming the damaged file keeps its handle on the old bytes).
    await rename(temp, final);
    if (!fsync) return;
    await fsyncDir(shard);
    if (created !== undefined) {
      await fsyncDir(dirname(shard));
      await fsyncDir(dir);
    }
  }

  return {
    dir,
    async put(source, putOptions = {}) {
      checkPutOptions(putOptions);
      await mkdir(tmpDir, { recursive: true, mode: DIR_MODE });
      const temp = join(tmpDir, `${randomUUID()}.tmp`);
      let handle: FileHandle | undefined = await open(temp, 'wx', FILE_MODE);
      try {
        const file = handle;
        // No bigger than the declared size: a build of many small files should not churn 1 MiB buffers.
        const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(WRITE_BUFFER, putOptions.size ?? WRITE_BUFFER)));
        let used = 0;
        const flush = async () => {
          await writeAll(file, buffer.subarray(0, used));
          used = 0;
        };
        const info = await digestStream(source, putOptions, async (chunk) => {
          if (used + chunk.byteLength > buffer.length) await flush();
          if (chunk.byteLength >= buffer.length) await writeAll(file, chunk);
          else {
            buffer.set(chunk, used);
            used += chunk.byteLength;
          }
        });
        await flush();
        if (fsync) await file.sync();
        handle = undefined;
        await file.close();
        await install(temp, info);
        return info;
      } catch (error) {
        await handle?.close().catch(() => undefined);
        await rm(temp, { force: true });
        throw error;
      }
    },
    async get(digest) {
      const path = pathOf(digest);
      let handle: FileHandle;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return null;
        throw error;
      }
      return handle.createReadStream({ highWaterMark: READ_CHUNK });
    },
    async has(digest) {
      return (await exists(pathOf(digest))) !== null;
    },
    async stat(digest) {
      const found = await exists(pathOf(digest));
      return found === null ? null : { digest, size: found.size };
    },
    async delete(digest) {
      await rm(pathOf(digest), { force: true });
    },
  };
}

async function fileDigest(path: string): Promise<string | null> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) hash.update(chunk as Buffer);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  return `sha256:${hash.digest('hex')}`;
}

async function exists(path: string): Promise<{ size: number } | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}
