import { generateKeyPairSync } from 'node:crypto';
import { s3CheckpointSink } from '@railyard/adapter-s3';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands, recordRequests, type SentRequest } from './requests.js';
import { rawObjects, startTestS3, type TestS3, uniquePrefix } from './s3-server.js';

const keys = generateKeyPairSync('ed25519');
let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.dispose();
});

describe('s3CheckpointSink', () => {
  let prefix: string;
  let client: ReturnType<TestS3['client']>;
  let raw: ReturnType<typeof rawObjects>;
  let sent: SentRequest[];
  beforeEach(() => {
    prefix = uniquePrefix();
    client = s3.client();
    raw = rawObjects(client, s3.bucket);
    sent = recordRequests(client);
  });
  afterEach(async () => {
    await raw.clear(prefix);
    client.destroy();
  });

  function setup() {
    const store = memoryStateStore();
    const clock = createFakeClock('2026-03-01T00:00:00.000Z');
    const sink = s3CheckpointSink({ client, bucket: s3.bucket, prefix, retention: { mode: 'COMPLIANCE', days: 30 } });
    const railyard = createRailyard({
      store,
      blobs: memoryBlobStore(),
      clock,
      checkpoints: { sink, privateKey: keys.privateKey, publicKey: keys.publicKey, everyMs: 60_000 },
    });
    const write = (n: number) =>
      store.commit({
        writes: [],
        journal: Array.from({ length: n }, (_, i) => ({
          at: '2026-03-01T00:00:00.000Z',
          actor: { id: 'alice', roles: ['ops'] },
          type: 'note.written',
          subject: { kind: 'note', id: String(i) },
          data: {},
        })),
      });
    return { sink, railyard, clock, write };
  }

  it('puts each checkpoint once, with Object Lock retention counted from its time, and never replaces one', async () => {
    const { sink, railyard, clock, write } = setup();
    await write(3);
    await railyard.settle();
    const puts = sent.filter((r) => r.command === 'PutObjectCommand');
    expect(puts).toHaveLength(1);
    // s3rver ignores Object Lock, so the request is what is checked here (docs/s3.md).
    expect(puts[0]!.headers).toMatchObject({
      'x-amz-object-lock-mode': 'COMPLIANCE',
      'x-amz-object-lock-retain-until-date': '2026-03-31T00:00:00Z',
      'if-none-match': '*',
    });
    expect(puts[0]!.headers['x-amz-checksum-sha256']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(await raw.keys(prefix)).toEqual([sink.keyOf(3)]);

    const kept = await sink.latest();
    await sink.put({ ...kept!, at: '2026-03-02T00:00:00.000Z' }); // the same seq again: ignored
    expect((await sink.latest())?.at).toBe(kept!.at);

    await write(2);
    await clock.advance(60_000);
    await railyard.settle();
    const all = [];
    for await (const checkpoint of sink.list()) all.push([checkpoint.from, checkpoint.seq]);
    expect(all).toEqual([
      [1, 3],
      [4, 5],
    ]);
    expect(await railyard.journal.verify()).toMatchObject({ ok: true, entries: 5 });
    expect(commands(sent)).toContain('GetObject');
  });

  it('verify() refuses a checkpoint object replaced in the bucket (where Object Lock is absent)', async () => {
    const { sink, railyard, write } = setup();
    await write(2);
    const checkpoint = await railyard.journal.checkpoint();
    await raw.write(sink.keyOf(2), new TextEncoder().encode(JSON.stringify({ ...checkpoint, hash: 'f'.repeat(64) })));
    expect(await railyard.journal.verify()).toMatchObject({ ok: false, problem: { kind: 'bad-checkpoint', seq: 2 } });
  });

  it('refuses bad retention options', () => {
    for (const retention of [
      { mode: 'COMPLIANCE' as const, days: 0 },
      { mode: 'LEGAL' as 'COMPLIANCE', days: 1 },
    ]) {
      expect(() => s3CheckpointSink({ client, bucket: s3.bucket, retention })).toThrow(
        expect.objectContaining({ code: 'VALIDATION' }),
      );
    }
  });
});
