import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type FileStateStore, type JournalEntry, openFileStateStore } from '@railyard/core/adapters';
import { createFakeClock, type FakeClock } from '@railyard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const LEASE = 30_000;
let dir: string;
let clock: FakeClock;
const opened: FileStateStore[] = [];
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'railyard-lease-'));
  clock = createFakeClock('2026-05-01T00:00:00.000Z');
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openStore(options: { clock?: FakeClock | undefined; lockLeaseMs?: number } = { clock }) {
  const store = await openFileStateStore({ dir, lockLeaseMs: LEASE, ...options });
  opened.push(store);
  return store;
}
const lockFile = () => join(dir, 'lock');
const readLock = async () => JSON.parse(await readFile(lockFile(), 'utf8')) as Record<string, unknown>;
const writeLock = (holder: Record<string, unknown>) => writeFile(lockFile(), JSON.stringify(holder));

async function journalOf(store: FileStateStore): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const entry of store.readJournal()) entries.push(entry);
  return entries;
}

/** Waits (on events and file reads, not on a timer of its own) until `check` holds. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the file state store lock lease', () => {
  it('refuses a holder on another host while its lease runs, takes over once it expired, and journals it', async () => {
    const renewedAt = clock.now().getTime();
    await writeLock({ pid: 4242, host: 'old-node', token: 't', renewedAt, leaseMs: LEASE });
    await expect(openStore()).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { pid: 4242, host: 'old-node' } });
    await clock.advance(LEASE);
    await expect(openStore()).rejects.toMatchObject({ code: 'STORE_LOCKED' }); // not yet: at the limit
    await clock.advance(1);
    const store = await openStore();
    expect(await readLock()).toMatchObject({ pid: process.pid, host: hostname() });
    const [entry] = await journalOf(store);
    expect(entry).toMatchObject({
      seq: 1,
      type: 'store.lock-taken-over',
      actor: { id: 'railyard', roles: ['system'] },
      reason: 'lease-expired',
      data: { previous: { pid: 4242, host: 'old-node', renewedAt: new Date(renewedAt).toISOString() } },
    });
  });

  it('takes over at once a lock naming this very pid in this namespace from a previous life (a restarted process)', async () => {
    await writeLock({
      pid: process.pid,
      host: hostname(),
      token: 'before-restart',
      renewedAt: clock.now().getTime(),
      leaseMs: LEASE,
    });
    const store = await openStore();
    expect((await journalOf(store))[0]).toMatchObject({ type: 'store.lock-taken-over', reason: 'restarted' });
    // But never a lock this process holds now.
    await expect(openStore()).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { pid: process.pid } });
  });

  it('judges a pid of another PID namespace (a container sharing the host name) by its lease only', async () => {
    const renewedAt = clock.now().getTime();
    // A lock naming this very pid, written by a process in another namespace: not a previous life of ours.
    await writeLock({ pid: process.pid, host: hostname(), ns: 'pid:[1]', token: 'twin', renewedAt, leaseMs: LEASE });
    await expect(openStore()).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { pid: process.pid } });
    await writeLock({ pid: 999_999, host: hostname(), ns: 'pid:[1]', token: 'twin', renewedAt, leaseMs: LEASE });
    await expect(openStore()).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { pid: 999_999 } });
    await clock.advance(LEASE + 1);
    const store = await openStore();
    expect((await journalOf(store))[0]).toMatchObject({ reason: 'lease-expired' });
  });

  it('renews its lease every third of it, and stops writing when another process replaced its lock', async () => {
    const store = await openStore();
    const first = (await readLock()).renewedAt as number;
    await clock.advance(LEASE / 3);
    await eventually(async () => (await readLock()).renewedAt === first + LEASE / 3, 'the renewal');
    await store.commit({ writes: [{ kind: 'n', id: 'a', expectedVersion: null, value: 1 }], journal: [] });

    await writeLock({
      pid: 4242,
      host: 'other-node',
      token: 'thief',
      renewedAt: clock.now().getTime(),
      leaseMs: LEASE,
    });
    await clock.advance(LEASE / 3);
    let attempt = 0;
    await eventually(
      () =>
        store
          .commit({ writes: [{ kind: 'n', id: `probe-${attempt++}`, expectedVersion: null, value: 1 }], journal: [] })
          .then(
            () => false,
            (error) => error.code === 'STORE_LOCKED',
          ),
      'the lost lock to be noticed',
    );
    await expect(
      store.commit({ writes: [{ kind: 'n', id: 'c', expectedVersion: null, value: 1 }], journal: [] }),
    ).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { host: 'other-node' } });
    expect(await store.get('n', 'c')).toBeNull();
    await store.close();
    expect(await readLock()).toMatchObject({ token: 'thief' }); // close leaves a lock that is not ours
  });

  it('refuses a live second process that keeps renewing, and takes over once it is killed', async () => {
    const script = fileURLToPath(new URL('./lock-holder-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, dir, '300'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await once(createInterface({ input: child.stdout! }), 'line');
    const renewals = new Set<unknown>();
    await eventually(async () => {
      renewals.add((await readLock()).renewedAt);
      return renewals.size >= 3;
    }, 'the child to renew its lease twice');
    // Well past the lease it first took: it renewed, so it is still the holder.
    await expect(openStore({ lockLeaseMs: 300 })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      details: { pid: child.pid, host: hostname() },
    });
    child.kill('SIGKILL');
    await once(child, 'exit');
    const store = await openStore({ lockLeaseMs: 300 });
    expect((await journalOf(store))[0]).toMatchObject({
      type: 'store.lock-taken-over',
      reason: 'process-exited',
      data: { previous: { pid: child.pid } },
    });
  });
});
