import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { link, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../contracts/clock.js';
import { StoreLockedError } from '../errors/errors.js';
import { errorCode, fsyncDir, writeFileDurable } from './fs-durable.js';

/** Why a lock was taken over from its previous holder. @internal */
export interface LockTakeover {
  pid: number;
  host: string;
  /** When the previous holder last renewed its lease (ISO 8601), if it recorded one. */
  renewedAt: string | null;
  reason: 'process-exited' | 'restarted' | 'lease-expired';
}

/** A held single-writer lock on a directory. @internal */
export interface DirectoryLock {
  /** Stops renewing and removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
  /** The holder this lock was taken over from, if it was. */
  readonly takenOver: LockTakeover | null;
  /** Set when a renewal found the lock replaced by another process: this holder must stop writing. */
  lost(): StoreLockedError | null;
}

/** How the lock's lease is kept. @internal */
export interface LockLease {
  /** The clock that dates renewals and judges expiry. */
  clock: Clock;
  /** A holder that has not renewed for this long may be taken over (ms). */
  leaseMs: number;
  /** Renew with `clock.sleep` (an injected clock) rather than an unref'd interval timer. */
  onClock: boolean;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
  /** The holder's PID namespace (Linux), so pids are compared only where they mean the same process. */
  ns?: string;
  /** Epoch ms of the last renewal, and the lease the holder keeps; absent in locks of older versions. */
  renewedAt?: number;
  leaseMs?: number;
}

const ATTEMPTS = 5;

/**
 * This process's PID namespace (`pid:[4026531836]`), or undefined off Linux. Two containers may
 * share a host name and a volume; a pid from another namespace says nothing about liveness here.
 */
const PID_NAMESPACE: string | undefined = (() => {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
})();
/** Tokens of the locks this process holds: a second open in the same process is refused. */
const HELD = new Set<string>();

/**
 * Takes the single-writer lock `dir/lock`. The lock file holds `{ pid, host, token, renewedAt,
 * leaseMs }` and appears atomically with its content: it is written to a temp file and hard-linked
 * into place, and `link` fails with EEXIST exactly like `open(O_CREAT | O_EXCL)`. The holder renews
 * `renewedAt` every third of the lease. An existing lock is taken over when its process has exited
 * (same host and PID namespace), when it names this very process id but is not one of this
 * process's locks (a restarted process that got the same pid), or when its lease has expired (a
 * host or container that no longer runs it); a live holder keeps renewing and is never taken over. Otherwise, and for an unreadable
 * lock, `StoreLockedError`.
 * @internal
 *
 * @example
 * ```ts
 * const lock = await acquireDirectoryLock('/var/lib/railyard', { clock: systemClock, leaseMs: 30_000, onClock: false });
 * await lock.release();
 * ```
 */
export async function acquireDirectoryLock(dir: string, lease: LockLease): Promise<DirectoryLock> {
  const lockFile = join(dir, 'lock');
  const token = randomUUID();
  const me = { pid: process.pid, host: hostname(), token, ...(PID_NAMESPACE ? { ns: PID_NAMESPACE } : {}) };
  const textAt = (ms: number) => JSON.stringify({ ...me, renewedAt: ms, leaseMs: lease.leaseMs });
  const temp = join(dir, `lock.${token}.tmp`);
  await writeFileDurable(temp, textAt(lease.clock.now().getTime()), true);
  let takenOver: LockTakeover | null = null;
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await link(temp, lockFile);
        await fsyncDir(dir);
        HELD.add(token);
        return holdLock({ dir, lockFile, token, textAt, lease, takenOver });
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const current = await readText(lockFile);
      if (current === null) continue;
      const holder = parseHolder(current);
      const reason = holder && staleBecause(holder, me.host, lease.clock.now().getTime());
      if (!holder || !reason) {
        throw new StoreLockedError({ dir, lockFile, pid: holder?.pid ?? null, host: holder?.host ?? null });
      }
      takenOver = {
        pid: holder.pid,
        host: holder.host,
        renewedAt: holder.renewedAt === undefined ? null : new Date(holder.renewedAt).toISOString(),
        reason,
      };
      await removeStale(lockFile, current, token);
    }
    // Only reachable when other processes keep replacing the lock under us.
    throw new StoreLockedError({ dir, lockFile, pid: null, host: null });
  } finally {
    await rm(temp, { force: true });
  }
}

function staleBecause(holder: Holder, host: string, now: number): LockTakeover['reason'] | null {
  if (HELD.has(holder.token)) return null; // another instance in this process
  // Locks of older versions name no namespace: their pid is judged here, as those versions did.
  const samePids = holder.host === host && (holder.ns === undefined || holder.ns === PID_NAMESPACE);
  if (samePids && holder.pid === process.pid) return 'restarted';
  if (samePids && !isAlive(holder.pid)) return 'process-exited';
  if (holder.renewedAt !== undefined && holder.leaseMs !== undefined && now > holder.renewedAt + holder.leaseMs)
    return 'lease-expired';
  return null;
}

/** Renews a held lock until it is released; notices when another process has replaced it. */
function holdLock(held: {
  dir: string;
  lockFile: string;
  token: string;
  textAt: (ms: number) => string;
  lease: LockLease;
  takenOver: LockTakeover | null;
}): DirectoryLock {
  const { dir, lockFile, token, textAt, lease } = held;
  const stop = new AbortController();
  let lost: StoreLockedError | null = null;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    if (stop.signal.aborted || lost) return;
    const current = await readText(lockFile);
    const holder = current === null ? null : parseHolder(current);
    if (holder?.token !== token) {
      lost = new StoreLockedError({ dir, lockFile, pid: holder?.pid ?? null, host: holder?.host ?? null });
      return;
    }
    const next = join(dir, `lock.${token}.renew`);
    await writeFileDurable(next, textAt(lease.clock.now().getTime()), true);
    await rename(next, lockFile);
    await fsyncDir(dir);
  };
  const tick = () => {
    renewing = renewing.then(renew).catch(() => undefined); // a failed renewal is retried next period
    return renewing;
  };
  const period = Math.max(1, Math.floor(lease.leaseMs / 3));
  if (lease.onClock) {
    void (async () => {
      while (!stop.signal.aborted) {
        try {
          await lease.clock.sleep(period, stop.signal);
        } catch {
          return;
        }
        await tick();
      }
    })();
  } else {
    const timer = setInterval(tick, period);
    timer.unref();
    stop.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }
  return {
    takenOver: held.takenOver,
    lost: () => lost,
    async release() {
      if (stop.signal.aborted) return;
      stop.abort();
      await renewing;
      HELD.delete(token);
      await releaseIfOurs(lockFile, token);
    },
  };
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

async function releaseIfOurs(lockFile: string, token: string): Promise<void> {
  const current = await readText(lockFile);
  if (current !== null && parseHolder(current)?.token === token) await rm(lockFile, { force: true });
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
    const { pid, host, token, renewedAt, leaseMs, ns } = value as Record<string, unknown>;
    if (!Number.isSafeInteger(pid) || (pid as number) <= 0 || typeof host !== 'string') return null;
    const lease =
      Number.isSafeInteger(renewedAt) && Number.isSafeInteger(leaseMs) && (leaseMs as number) > 0
        ? { renewedAt: renewedAt as number, leaseMs: leaseMs as number }
        : {};
    const namespace = typeof ns === 'string' ? { ns } : {};
    return { pid: pid as number, host, token: typeof token === 'string' ? token : '', ...lease, ...namespace };
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
