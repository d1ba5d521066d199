import { randomUUID } from 'node:crypto';
import { link, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreLockedError } from '../errors/errors.js';
import { errorCode, fsyncDir, writeFileDurable } from './fs-durable.js';

/** A held single-writer lock on a directory. @internal */
export interface DirectoryLock {
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
}

const ATTEMPTS = 5;

/**
 * Takes the single-writer lock `dir/lock`. The lock file holds `{ pid, host, token }` and appears
 * atomically with its content: it is written to a temp file and hard-linked into place, and `link`
 * fails with EEXIST exactly like `open(O_CREAT | O_EXCL)`. A lock whose process is dead (same host)
 * is taken over; a live, foreign-host or unreadable one throws `StoreLockedError`.
 * @internal
 *
 * @example
 * ```ts
 * const lock = await acquireDirectoryLock('/var/lib/railyard');
 * await lock.release();
 * ```
 */
export async function acquireDirectoryLock(dir: string): Promise<DirectoryLock> {
  const lockFile = join(dir, 'lock');
  const me: Holder = { pid: process.pid, host: hostname(), token: randomUUID() };
  const text = JSON.stringify(me);
  const temp = join(dir, `lock.${me.token}.tmp`);
  await writeFileDurable(temp, text, true);
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await link(temp, lockFile);
        await fsyncDir(dir);
        return { release: () => releaseIfOurs(lockFile, text) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const current = await readText(lockFile);
      if (current === null) continue;
      const holder = parseHolder(current);
      if (holder === null || holder.host !== me.host || isAlive(holder.pid)) {
        throw new StoreLockedError({ dir, lockFile, pid: holder?.pid ?? null, host: holder?.host ?? null });
      }
      await removeStale(lockFile, current, me.token);
    }
    // Only reachable when other processes keep replacing the lock under us.
    throw new StoreLockedError({ dir, lockFile, pid: null, host: null });
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Removes a stale lock without ever removing a fresh one: move it aside first, then check that what
 * was moved is the stale content we saw. If a racing process had already replaced it with its own
 * lock, put that one back.
 */
async function removeStale(lockFile: string, staleText: string, token: string): Promise<void> {
  const aside = `${lockFile}.stale-${token}`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  if ((await readText(aside)) !== staleText) {
    await link(aside, lockFile).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw error;
    });
  }
  await rm(aside, { force: true });
}

async function releaseIfOurs(lockFile: string, text: string): Promise<void> {
  if ((await readText(lockFile)) === text) await rm(lockFile, { force: true });
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(text: string): Holder | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { pid, host, token } = value as Record<string, unknown>;
    if (!Number.isSafeInteger(pid) || (pid as number) <= 0 || typeof host !== 'string') return null;
    return { pid: pid as number, host, token: typeof token === 'string' ? token : '' };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}
