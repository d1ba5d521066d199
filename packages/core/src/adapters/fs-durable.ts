import { type FileHandle, open, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** Mode of every file a file store creates: readable and writable by its owner only. @internal */
export const FILE_MODE = 0o600;
/** Mode of every directory a file store creates: its owner only. @internal */
export const DIR_MODE = 0o700;

/**
 * Writes every byte of `bytes` at the handle's position (or the end, for append handles):
 * `FileHandle.write` may write less than asked.
 * @internal
 *
 * @example
 * ```ts
 * await writeAll(handle, Buffer.from('line\n'));
 * ```
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * Makes a directory's entries (new, renamed or removed files) durable. A no-op on Windows, where
 * directories cannot be opened and NTFS journals metadata itself.
 * @internal
 *
 * @example
 * ```ts
 * await fsyncDir('/var/lib/railyard');
 * ```
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a whole file and, when `fsync`, flushes it to disk before closing.
 * @internal
 *
 * @example
 * ```ts
 * await writeFileDurable('/tmp/x', 'hello', true);
 * ```
 */
export async function writeFileDurable(path: string, data: string | Uint8Array, fsync: boolean): Promise<void> {
  const handle = await open(path, 'w', FILE_MODE);
  try {
    await writeAll(handle, typeof data === 'string' ? Buffer.from(data) : data);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `dir/name` atomically: write a temp file, fsync it, rename it over the target, fsync the
 * directory. A crash leaves either the old or the new content, never a mix. Callers must hold the
 * directory's lock, since the temp name is fixed.
 * @internal
 *
 * @example
 * ```ts
 * await replaceFileAtomic(dir, 'snapshot.json', text, true);
 * ```
 */
export async function replaceFileAtomic(dir: string, name: string, data: string, fsync: boolean): Promise<void> {
  const temp = join(dir, `${name}.tmp`);
  await writeFileDurable(temp, data, fsync);
  await rename(temp, join(dir, name));
  if (fsync) await fsyncDir(dir);
}

/**
 * The `code` of a Node system error, if any.
 * @internal
 *
 * @example
 * ```ts
 * if (errorCode(error) === 'ENOENT') return null;
 * ```
 */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
