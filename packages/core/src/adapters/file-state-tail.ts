import { randomUUID } from 'node:crypto';
import { open, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreReadOnlyError } from '../errors/errors.js';
import { FILES } from './file-state-load.js';
import { FILE_MODE, fsyncDir, writeAll } from './fs-durable.js';

const REJECTED = /^log\.ndjson\.rejected-c(\d+)-s(\d+)$/;

/** A complete-but-corrupt last commit moved aside next to the log, awaiting an operator. @internal */
export interface RejectedTailFile {
  name: string;
  commit: number;
  seq: number;
}

/**
 * The moved-aside tails in a store directory, oldest commit first.
 * @internal
 *
 * @example
 * ```ts
 * const pending = await rejectedTails('/var/lib/railyard');
 * ```
 */
export async function rejectedTails(dir: string): Promise<RejectedTailFile[]> {
  const found: RejectedTailFile[] = [];
  for (const name of await readdir(dir)) {
    const match = REJECTED.exec(name);
    if (match) found.push({ name, commit: Number(match[1]), seq: Number(match[2]) });
  }
  return found.sort((a, b) => a.commit - b.commit);
}

/**
 * Copies the log's bytes from `validLength` on (a complete but corrupt last commit) to
 * `log.ndjson.rejected-c<commit>-s<seq>`, flushed, before the caller cuts them from the log, so
 * nothing is lost without a trace. Tells the process (a `RailyardWarning`). Runs under the lock.
 * @internal
 *
 * @example
 * ```ts
 * await rejectTail(dir, state.validLength, state.corruptTail);
 * ```
 */
export async function rejectTail(
  dir: string,
  validLength: number,
  tail: { line: number; commit: number; seq: number },
): Promise<void> {
  const name = `${FILES.log}.rejected-c${tail.commit}-s${tail.seq}`;
  const log = await open(join(dir, FILES.log), 'r');
  const aside = await open(join(dir, name), 'w', FILE_MODE);
  try {
    const { size } = await log.stat();
    const bytes = Buffer.alloc(size - validLength);
    await log.read(bytes, 0, bytes.length, validLength);
    await writeAll(aside, bytes);
    await aside.sync();
  } finally {
    await aside.close();
    await log.close();
  }
  await fsyncDir(dir);
  process.emitWarning(
    `file state store at "${dir}": its last commit (commit ${tail.commit}, journal entry ${tail.seq} on, log line ${tail.line}) is complete but corrupt; it was moved to "${name}" and the store opens read-only until an operator decides.`,
    { type: 'RailyardWarning', code: 'STORE_READ_ONLY' },
  );
}

/**
 * The operator's decision on moved-aside tails: without `accept`, the store is read-only (the
 * error says why); with it, each is renamed `log.ndjson.accepted-…` (kept for the audit) and the
 * store is writable.
 * @internal
 *
 * @example
 * ```ts
 * const readOnly = await decideRejectedTails(dir, options.acceptTruncation === true);
 * ```
 */
export async function decideRejectedTails(dir: string, accept: boolean): Promise<StoreReadOnlyError | null> {
  const pending = await rejectedTails(dir);
  const first = pending[0];
  if (first === undefined) return null;
  if (!accept)
    return new StoreReadOnlyError({ dir, aside: join(dir, first.name), commit: first.commit, seq: first.seq });
  for (const tail of pending) {
    const accepted = tail.name.replace('.rejected-', '.accepted-');
    await rename(join(dir, tail.name), join(dir, `${accepted}-${randomUUID().slice(0, 8)}`));
  }
  await fsyncDir(dir);
  return null;
}
