import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRailyard,
  memoryBlobStore,
  memoryStateStore,
  type SignedCheckpoint,
  verifyJournal,
} from '@railyard/core';
import {
  chainJournal,
  directoryCheckpointSink,
  GENESIS_HASH,
  type JournalDraft,
  type JournalEntry,
} from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const keys = generateKeyPairSync('ed25519');
const draft = (i: number): JournalDraft => ({
  at: '2026-01-01T00:00:00.000Z',
  actor: { id: 'alice', roles: ['ops'] },
  type: 'note.written',
  subject: { kind: 'note', id: String(i) },
  data: { i },
});

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('signed journal checkpoints', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'railyard-checkpoints-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function setup() {
    const store = memoryStateStore();
    const clock = createFakeClock();
    const sink = directoryCheckpointSink({ dir });
    const railyard = createRailyard({
      store,
      blobs: memoryBlobStore(),
      clock,
      checkpoints: { sink, privateKey: keys.privateKey, publicKey: keys.publicKey, everyMs: 60_000 },
    });
    const write = (from: number, count: number) =>
      store.commit({ writes: [], journal: Array.from({ length: count }, (_, i) => draft(from + i)) });
    return { store, clock, sink, railyard, write };
  }

  it('exports a signed checkpoint on the clock’s schedule, each covering every entry since the last', async () => {
    const { clock, sink, railyard, write } = setup();
    await write(1, 3);
    await railyard.settle();
    await write(4, 2);
    await railyard.settle(); // not due yet
    expect((await collect(sink.list())).map((c) => [c.from, c.seq])).toEqual([[1, 3]]);
    await clock.advance(60_000);
    await railyard.settle();
    const kept = await collect(sink.list());
    expect(kept.map((c) => [c.from, c.seq])).toEqual([
      [1, 3],
      [4, 5],
    ]);
    const entries = await collect(railyard.journal.read());
    expect(kept.flatMap((c) => c.hashes)).toEqual(entries.map((e) => e.hash));
    expect(kept[1]).toMatchObject({ hash: entries[4]!.hash, keyId: 'journal', algorithm: 'ed25519' });
    expect(await railyard.journal.verify()).toMatchObject({ ok: true, entries: 5 });
    // Nothing new: nothing exported.
    await clock.advance(60_000);
    await railyard.settle();
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('a restarted engine continues from the latest checkpoint the sink keeps', async () => {
    const first = setup();
    await first.write(1, 2);
    await first.railyard.journal.checkpoint();
    const again = createRailyard({
      store: first.store,
      blobs: memoryBlobStore(),
      clock: first.clock,
      checkpoints: { sink: directoryCheckpointSink({ dir }), privateKey: keys.privateKey, publicKey: keys.publicKey },
    });
    await first.write(3, 2);
    expect(await again.journal.checkpoint()).toMatchObject({ from: 3, seq: 4 });
  });

  it('names the first entry of a journal rewritten with its chain recomputed', async () => {
    const { railyard, write, sink } = setup();
    await write(1, 6);
    await railyard.journal.checkpoint();
    const entries = await collect(railyard.journal.read());
    // The attacker changes entry 3 and recomputes every hash from there: the chain alone still passes.
    const drafts = entries.map(({ seq: _s, prevHash: _p, hash: _h, ...rest }) => rest);
    drafts[2] = { ...drafts[2]!, actor: { id: 'mallory', roles: ['ops'] } };
    const forged = chainJournal({ seq: 0, hash: GENESIS_HASH }, drafts);
    const source = async function* () {
      yield* forged;
    };
    expect(await verifyJournal(source())).toMatchObject({ ok: true });
    const signed = { checkpoints: sink.list(), publicKey: keys.publicKey };
    expect(await verifyJournal(source(), { signed })).toMatchObject({
      ok: false,
      problem: { seq: 3, kind: 'rewritten' },
    });
  });

  it('reports a journal shorter than its newest checkpoint, and a checkpoint whose signature fails', async () => {
    const { railyard, write, sink } = setup();
    await write(1, 4);
    const checkpoint = (await railyard.journal.checkpoint()) as SignedCheckpoint;
    const entries: JournalEntry[] = await collect(railyard.journal.read());
    const truncated = async function* () {
      yield* entries.slice(0, 2);
    };
    expect(
      await verifyJournal(truncated(), { signed: { checkpoints: [checkpoint], publicKey: keys.publicKey } }),
    ).toMatchObject({ ok: false, problem: { seq: 2, kind: 'truncated' } });

    const [name] = await readdir(dir);
    const file = join(dir, name!);
    const kept = JSON.parse(await readFile(file, 'utf8')) as SignedCheckpoint;
    await writeFile(
      file,
      JSON.stringify({ ...kept, hashes: kept.hashes.map(() => 'f'.repeat(64)), hash: 'f'.repeat(64) }),
    );
    expect(await railyard.journal.verify()).toMatchObject({ ok: false, problem: { seq: 4, kind: 'bad-checkpoint' } });
    const other = generateKeyPairSync('ed25519');
    expect(
      await verifyJournal(railyard.journal.read(), {
        signed: { checkpoints: [checkpoint], publicKey: other.publicKey },
      }),
    ).toMatchObject({ ok: false, problem: { kind: 'bad-checkpoint' } });
    expect(await collect(sink.list())).toHaveLength(1);
  });

  it('refuses keys that are not one ed25519 pair at creation, and checkpoint() without the option', async () => {
    const other = generateKeyPairSync('ed25519');
    const sink = directoryCheckpointSink({ dir });
    const base = { store: memoryStateStore(), blobs: memoryBlobStore() };
    expect(() =>
      createRailyard({ ...base, checkpoints: { sink, privateKey: keys.privateKey, publicKey: other.publicKey } }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      createRailyard({ ...base, checkpoints: { sink, privateKey: rsa.privateKey, publicKey: rsa.publicKey } }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    await expect(createRailyard(base).journal.checkpoint()).rejects.toMatchObject({ code: 'CAPABILITY_MISSING' });
  });
});
