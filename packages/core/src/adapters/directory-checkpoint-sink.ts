import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CheckpointSink } from '../contracts/checkpoint-sink.js';
import type { SignedCheckpoint } from '../model/checkpoint.js';
import { DIR_MODE, errorCode, fsyncDir, writeFileDurable } from './fs-durable.js';

const NAME = /^(\d{16})\.json$/;

/**
 * Options for {@link directoryCheckpointSink}.
 *
 * @example
 * ```ts
 * const options: DirectoryCheckpointSinkOptions = { dir: '/mnt/audit/railyard' };
 * ```
 */
export interface DirectoryCheckpointSinkOptions {
  /**
   * The directory checkpoints go to (created 0700 if missing). Put it out of reach of whoever can
   * write the state store: another disk mounted append-only, a WORM volume, a synced audit share.
   */
  dir: string;
}

/**
 * A {@link CheckpointSink} in a directory, one file per checkpoint, that lists them back.
 *
 * @example
 * ```ts
 * const sink: DirectoryCheckpointSink = directoryCheckpointSink({ dir: '/mnt/audit/railyard' });
 * console.log((await sink.latest())?.seq);
 * ```
 */
export interface DirectoryCheckpointSink extends CheckpointSink {
  /** The directory (absolute). */
  readonly dir: string;
  list(): AsyncIterable<SignedCheckpoint>;
  latest(): Promise<SignedCheckpoint | null>;
}

/**
 * Keeps signed journal checkpoints in a directory: `<seq, 16 digits>.json`, each written to a temp
 * file, flushed, and linked into place, so it appears whole and is never replaced (a second
 * checkpoint of the same `seq` is ignored). `list` reads them in `seq` order; what it reads is
 * checked (schema and signature) by `journal.verify()`, not here.
 *
 * @example
 * ```ts
 * import { directoryCheckpointSink } from '@railyard/core/adapters';
 *
 * const railyard = createRailyard({
 *   store, blobs,
 *   checkpoints: { sink: directoryCheckpointSink({ dir: '/mnt/audit/railyard' }), privateKey, publicKey },
 * });
 * ```
 */
export function directoryCheckpointSink(options: DirectoryCheckpointSinkOptions): DirectoryCheckpointSink {
  const dir = resolve(options.dir);
  const names = async () => {
    try {
      return (await readdir(dir)).filter((name) => NAME.test(name)).sort();
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
  };
  const read = async (name: string) => JSON.parse(await readFile(join(dir, name), 'utf8')) as SignedCheckpoint;
  return {
    dir,
    async put(checkpoint) {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      const temp = join(dir, `.${randomUUID()}.tmp`);
      await writeFileDurable(temp, `${JSON.stringify(checkpoint)}\n`, true);
      try {
        await link(temp, join(dir, `${String(checkpoint.seq).padStart(16, '0')}.json`));
        await fsyncDir(dir);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      } finally {
        await rm(temp, { force: true });
      }
    },
    async *list() {
      for (const name of await names()) yield await read(name);
    },
    async latest() {
      const last = (await names()).at(-1);
      return last === undefined ? null : read(last);
    },
  };
}
