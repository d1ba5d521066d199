import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NonceClaim } from '../contracts/state-store.js';
import { AdapterError } from '../errors/errors.js';
import { errorCode, replaceFileAtomic, writeAll } from './fs-durable.js';
import { checkNonceClaim, NonceTable } from './nonce-table.js';

const FILE = 'nonces.ndjson';

/** The file store's `rememberNonce`, kept in its own file beside the log. @internal */
export interface FileNonces {
  remember(claim: NonceClaim): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens `nonces.ndjson` in a file store's directory (the caller holds its lock): one JSON line
 * `[scope, nonce, expiresAtMs]` per remembered nonce, appended and flushed before `remember`
 * answers, so a nonce accepted before a crash is still refused after it. A line torn by a crash is
 * skipped (its request was never answered). Once the file holds far more lines than live nonces,
 * it is rewritten with the live ones only (write-temp, fsync, rename).
 * @internal
 */
export async function openFileNonces(dir: string, fsync: boolean): Promise<FileNonces> {
  const table = new NonceTable();
  let lines = 0;
  try {
    for (const line of (await readFile(join(dir, FILE), 'utf8')).split('\n')) {
      if (line === '') continue;
      try {
        const [scope, nonce, expiresAtMs] = JSON.parse(line) as [string, string, number];
        if (typeof scope === 'string' && typeof nonce === 'string' && typeof expiresAtMs === 'number') {
          table.load(scope, nonce, expiresAtMs);
          lines++;
        }
      } catch {
        // A torn last line: its nonce was never acknowledged.
      }
    }
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  let handle: FileHandle = await open(join(dir, FILE), 'a', 0o600);
  let tail: Promise<unknown> = Promise.resolve();

  async function append(text: string, nowMs: number): Promise<void> {
    try {
      await writeAll(handle, Buffer.from(text));
      if (fsync) await handle.datasync();
      lines++;
      table.prune(nowMs);
      if (lines > 1_000 && lines > 4 * table.size) {
        table.prune(nowMs, true);
        const live = [...table.entries()].map((e) => `${JSON.stringify([e.scope, e.nonce, e.expiresAtMs])}\n`);
        await replaceFileAtomic(dir, FILE, live.join(''), fsync);
        await handle.close();
        handle = await open(join(dir, FILE), 'a', 0o600);
        lines = live.length;
      }
    } catch (error) {
      throw new AdapterError(
        'file state store: could not record a nonce durably; the request it came with was not accepted. Check free space and permissions.',
        { cause: error, retryable: true },
      );
    }
  }

  return {
    remember(claim) {
      checkNonceClaim(claim);
      // Decided at once (so two racing callers never both win), written before the answer.
      if (!table.remember(claim)) return Promise.resolve(false);
      const line = `${JSON.stringify([claim.scope, claim.nonce, claim.expiresAt.getTime()])}\n`;
      const run = tail.then(() => append(line, claim.now.getTime()));
      tail = run.catch(() => undefined);
      return run.then(() => true);
    },
    async close() {
      await tail;
      await handle.close();
    },
  };
}
