import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FileStateStore, type JournalDraft, openFileStateStore, verifyFileStore } from '@railyard/core/adapters';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
const opened: FileStateStore[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'railyard-tail-'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

const draft = (i: number): JournalDraft => ({
  at: '2026-01-01T00:00:00.000Z',
  actor: { id: 'alice', roles: ['ops'] },
  type: 'test.step',
  subject: { kind: 'note', id: `n-${i}` },
  data: { i },
});

async function openStore(options: { acceptTruncation?: boolean } = {}) {
  const store = await openFileStateStore({ dir, ...options });
  opened.push(store);
  return store;
}

/** Commits `count` steps of two journal entries each (commit k holds entries 2k-1 and 2k). */
async function commitSteps(store: FileStateStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.commit({
      writes: [{ kind: 'note', id: `n-${i}`, expectedVersion: null, value: { i } }],
      journal: [draft(2 * i), draft(2 * i + 1)],
    });
  }
}

async function logLines(): Promise<string[]> {
  return (await readFile(join(dir, 'log.ndjson'), 'utf8')).split('\n').filter((line) => line !== '');
}

/** Flips one payload character of log line `n` (1-based), keeping the line complete. */
async function tamperLine(n: number): Promise<void> {
  const lines = await logLines();
  lines[n - 1] = lines[n - 1]!.replace('"i":', '"i":1');
  await writeFile(join(dir, 'log.ndjson'), `${lines.join('\n')}\n`);
}

/** Every file's bytes and mtime, to show a check changed nothing. */
async function fingerprint(): Promise<Record<string, { bytes: string; mtimeMs: number }>> {
  const out: Record<string, { bytes: string; mtimeMs: number }> = {};
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    out[name] = { bytes: (await readFile(path)).toString('base64'), mtimeMs: (await stat(path)).mtimeMs };
  }
  return out;
}

async function until(event: 'warning'): Promise<Error> {
  return new Promise((resolve) => process.once(event, resolve));
}

describe('a complete but corrupt last commit of the file state store', () => {
  it('is moved aside, reported, and the store opens read-only until an operator accepts the loss', async () => {
    const first = await openStore();
    await commitSteps(first, 3);
    await first.close();
    await tamperLine(3);
    const badLine = (await logLines())[2]!;

    const warned = until('warning');
    const store = await openStore();
    expect((await warned).message).toContain('journal entry 5');
    expect(store.readOnly).toMatchObject({
      code: 'STORE_READ_ONLY',
      details: { commit: 3, seq: 5, aside: join(dir, 'log.ndjson.rejected-c3-s5') },
    });
    // Reads work; nothing is silently lost: the bad commit sits next to the log, byte for byte.
    expect(await store.get('note', 'n-1')).toMatchObject({ value: { i: 1 } });
    expect(await store.get('note', 'n-2')).toBeNull();
    expect(await readFile(join(dir, 'log.ndjson.rejected-c3-s5'), 'utf8')).toBe(`${badLine}\n`);
    expect(await logLines()).toHaveLength(2);
    await expect(
      store.commit({ writes: [{ kind: 'note', id: 'x', expectedVersion: null, value: 1 }], journal: [] }),
    ).rejects.toMatchObject({ code: 'STORE_READ_ONLY', details: { commit: 3, seq: 5 } });
    await expect(store.compact()).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    await store.close();

    // Still read-only on the next open: the decision is the operator's.
    const again = await openStore();
    expect(again.readOnly?.details).toMatchObject({ commit: 3, seq: 5 });
    await again.close();

    const accepted = await openStore({ acceptTruncation: true });
    expect(accepted.readOnly).toBeNull();
    await accepted.commit({
      writes: [{ kind: 'note', id: 'x', expectedVersion: null, value: 1 }],
      journal: [draft(9)],
    });
    expect((await accepted.journalHead!()).seq).toBe(5);
    await accepted.close();
    const names = await readdir(dir);
    expect(names.some((name) => name.startsWith('log.ndjson.accepted-c3-s5-'))).toBe(true);
    expect(names.some((name) => name.startsWith('log.ndjson.rejected-'))).toBe(false);
    expect((await openStore()).readOnly).toBeNull();
  });
});

describe('verifyFileStore', () => {
  it('names the first bad entry of a corrupt last commit without taking the lock or changing a byte', async () => {
    const store = await openStore();
    await commitSteps(store, 3);
    await store.close();
    await tamperLine(3);
    const before = await fingerprint();
    const result = await verifyFileStore(dir);
    expect(result).toEqual({
      ok: false,
      dir,
      commits: 2,
      journal: { entries: 4, head: expect.objectContaining({ seq: 4 }) },
      tornBytes: 0,
      problem: expect.objectContaining({ kind: 'corrupt-tail', file: 'log.ndjson', line: 3, commit: 3, seq: 5 }),
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(await fingerprint()).toEqual(before); // no lock file, no move, no truncation
  });

  it('works beside a process that holds the store open, and reports ok with the head', async () => {
    const store = await openStore();
    await commitSteps(store, 2);
    const head = await store.journalHead!();
    const before = await fingerprint();
    expect(await verifyFileStore(dir)).toEqual({
      ok: true,
      dir,
      commits: 2,
      journal: { entries: 4, head },
      tornBytes: 0,
    });
    expect(await fingerprint()).toEqual(before);
  });

  it('names a damaged line before the last, a pending moved-aside commit, and a harmless torn write', async () => {
    const store = await openStore();
    await commitSteps(store, 3);
    await store.close();
    const intact = await readFile(join(dir, 'log.ndjson'));

    await tamperLine(2);
    expect(await verifyFileStore(dir)).toMatchObject({
      ok: false,
      commits: 1,
      journal: { entries: 2 },
      problem: { kind: 'damaged', file: 'log.ndjson', line: 2, commit: 2, seq: 3 },
    });

    await writeFile(join(dir, 'log.ndjson'), Buffer.concat([intact, Buffer.from('{"sha256":"01')]));
    expect(await verifyFileStore(dir)).toMatchObject({ ok: true, commits: 3, tornBytes: 13 });

    await writeFile(join(dir, 'log.ndjson'), intact);
    await tamperLine(3);
    await (await openStore()).close(); // moves the bad commit aside
    expect(await verifyFileStore(dir)).toMatchObject({
      ok: false,
      commits: 2,
      problem: { kind: 'rejected-tail', file: 'log.ndjson.rejected-c3-s5', commit: 3, seq: 5 },
    });
    await expect(verifyFileStore(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
