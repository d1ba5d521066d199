import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FileStateStore,
  GENESIS_HASH,
  hashJournalEntry,
  type JournalDraft,
  type JournalEntry,
  openFileStateStore,
} from '@railyard/core/adapters';
import { StoreLockedError } from '@railyard/core/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
const open: FileStateStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'railyard-file-state-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openStore(options: { compactAfter?: number } = {}): Promise<FileStateStore> {
  const store = await openFileStateStore({ dir, ...options });
  open.push(store);
  return store;
}

const draft = (i: number): JournalDraft => ({
  at: '2026-01-01T00:00:00.000Z',
  actor: { id: 'alice', roles: [] },
  type: 'test.step',
  subject: { kind: 'note', id: `n-${i}` },
  data: { i },
});

/** Commits `count` steps: each creates `n-<i>`, bumps `counter` and journals one entry. */
async function commitSteps(store: FileStateStore, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const counter = await store.get('note', 'counter');
    await store.commit({
      writes: [
        { kind: 'note', id: 'counter', expectedVersion: counter?.version ?? null, value: { i } },
        { kind: 'note', id: `n-${i}`, expectedVersion: null, value: { i } },
      ],
      journal: [draft(i)],
    });
  }
}

async function journalOf(store: FileStateStore): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const entry of store.readJournal()) entries.push(entry);
  return entries;
}

function expectChain(entries: JournalEntry[], length: number): void {
  expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length }, (_, i) => i + 1));
  entries.forEach((entry, i) => {
    expect(entry.prevHash).toBe(i === 0 ? GENESIS_HASH : entries[i - 1]?.hash);
    expect(entry.hash).toBe(hashJournalEntry(entry));
  });
}

async function expectSteps(store: FileStateStore, count: number): Promise<void> {
  expect(await store.get('note', 'counter')).toEqual({ id: 'counter', version: count, value: { i: count - 1 } });
  expect((await store.list('note', { limit: 1000 })).items.length).toBe(count + 1);
  const journal = await journalOf(store);
  expectChain(journal, count);
  expect(journal.map((entry) => entry.data.i)).toEqual(Array.from({ length: count }, (_, i) => i));
}

async function failure(
  action: () => Promise<unknown>,
): Promise<{ code?: unknown; retryable?: unknown; message: string; details?: Record<string, unknown> }> {
  try {
    await action();
  } catch (error) {
    return error as { message: string };
  }
  throw new Error('expected the call to throw');
}

const logLines = async () => (await readFile(join(dir, 'log.ndjson'), 'utf8')).split('\n').filter(Boolean);

describe('openFileStateStore', () => {
  it('keeps records, versions and the journal across close and reopen', async () => {
    const first = await openStore();
    await commitSteps(first, 0, 5);
    await first.close();
    const second = await openStore();
    await expectSteps(second, 5);
    const stale = await failure(() =>
      second.commit({ writes: [{ kind: 'note', id: 'counter', expectedVersion: 4, value: {} }], journal: [] }),
    );
    expect(stale.code).toBe('VERSION_CONFLICT');
    await commitSteps(second, 5, 2);
    await expectSteps(second, 7);
  });

  it('refuses a second open while the store is open, naming the holder', async () => {
    const first = await openStore();
    const error = await failure(() => openStore());
    expect(error).toBeInstanceOf(StoreLockedError);
    expect(error.code).toBe('STORE_LOCKED');
    expect(error.details).toMatchObject({ pid: process.pid, host: hostname() });
    expect(error.message).toContain(String(process.pid));
    await first.close();
    await openStore();
  });

  it('refuses a lock held by another live process, or one it cannot read', async () => {
    await writeFile(join(dir, 'lock'), JSON.stringify({ pid: process.ppid, host: hostname(), token: 't' }));
    expect((await failure(() => openStore())).details).toMatchObject({ pid: process.ppid });
    await writeFile(join(dir, 'lock'), 'not a lock');
    const error = await failure(() => openStore());
    expect(error.code).toBe('STORE_LOCKED');
    expect(error.details).toMatchObject({ pid: null });
  });

  it('takes over a lock left by a process that has exited', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    expect(typeof child.pid).toBe('number');
    await writeFile(join(dir, 'lock'), JSON.stringify({ pid: child.pid, host: hostname(), token: 'dead' }));
    const store = await openStore();
    await commitSteps(store, 0, 1);
    expect(JSON.parse(await readFile(join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();
    await expect(stat(join(dir, 'lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('discards a last line torn by a crash, whether unterminated or garbled', async () => {
    const first = await openStore();
    await commitSteps(first, 0, 3);
    await first.close();
    const intact = (await stat(join(dir, 'log.ndjson'))).size;
    await appendFile(join(dir, 'log.ndjson'), '{"sha256":"0123","payload":{"n":4,"wri');
    const second = await openStore();
    await expectSteps(second, 3);
    expect((await stat(join(dir, 'log.ndjson'))).size).toBe(intact);
    await second.close();
    await appendFile(join(dir, 'log.ndjson'), `${'\u0000'.repeat(40)}\n`);
    const third = await openStore();
    await expectSteps(third, 3);
    await commitSteps(third, 3, 1);
    await third.close();
    await expectSteps(await openStore(), 4);
  });

  it('refuses to open a store whose log is damaged before its last line, and releases the lock', async () => {
    const first = await openStore();
    await commitSteps(first, 0, 3);
    await first.close();
    const lines = await logLines();
    await writeFile(
      join(dir, 'log.ndjson'),
      `${[lines[0], lines[1]?.replace('"i":1', '"i":9'), lines[2]].join('\n')}\n`,
    );
    const error = await failure(() => openStore());
    expect(error.code).toBe('ADAPTER');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/damaged.*line 2.*restore/is);
    expect((await failure(() => openStore())).code).toBe('ADAPTER');
    await writeFile(join(dir, 'log.ndjson'), `${[lines[0], lines[2]].join('\n')}\n`);
    expect((await failure(() => openStore())).message).toMatch(/commit 2 was expected/);
  });

  it('compacts into a snapshot past the threshold and keeps everything across reopen', async () => {
    const first = await openStore({ compactAfter: 3 });
    await commitSteps(first, 0, 10);
    expect((await logLines()).length).toBeLessThan(3);
    await expectSteps(first, 10);
    await first.close();
    expect((await stat(join(dir, 'snapshot.json'))).size).toBeGreaterThan(0);
    const second = await openStore({ compactAfter: 3 });
    await expectSteps(second, 10);
    await commitSteps(second, 10, 5);
    await second.close();
    await expectSteps(await openStore(), 15);
  });

  it('recovers from a crash between writing the snapshot and emptying the log', async () => {
    const first = await openStore();
    await commitSteps(first, 0, 3);
    const log = await readFile(join(dir, 'log.ndjson'));
    await first.compact();
    await first.close();
    await writeFile(join(dir, 'log.ndjson'), log); // the log reset never reached the disk
    const second = await openStore();
    await expectSteps(second, 3);
    await commitSteps(second, 3, 2);
    await second.close();
    await expectSteps(await openStore(), 5);
  });

  it('refuses every call after close, and close can be called twice', async () => {
    const store = await openStore();
    await store.close();
    await store.close();
    expect((await failure(() => store.get('note', 'a'))).code).toBe('ADAPTER');
    expect((await failure(() => store.commit({ writes: [], journal: [] }))).message).toMatch(/closed.*open it again/);
  });
});
