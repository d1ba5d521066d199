// s3-reput: request-body bytes sent to S3 when a bundle whose blobs are all stored already is put
// again through s3BlobStore, as a transfer does (streams with declared digest and size), against
// the bundle's own size (what a store that re-uploads would send). Counted by a middleware on the
// S3 client from each request's content-length. Expect 0: one HEAD per blob, no body.
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { s3BlobStore } from '@railyard/adapter-s3';
import { median, note, QUICK, round, sample } from '../lib.mjs';
import { clientFor, startS3rver } from './s3-put.mjs';

const MiB = 1024 * 1024;
const BLOBS = QUICK ? 8 : 32;
const BLOB_SIZE = QUICK ? 256 * 1024 : 2 * MiB;
const ROUNDS = QUICK ? 3 : 5;

/** Counts requests and request-body bytes a client sends. */
function countRequests(client) {
  const counter = { requests: 0, bytes: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.requests++;
      const headers = args.request.headers ?? {};
      const length = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-length')?.[1];
      counter.bytes += Number(length ?? 0);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchCounter', priority: 'low' },
  );
  return counter;
}

async function* chunks(bytes) {
  for (let offset = 0; offset < bytes.byteLength; offset += 64 * 1024) yield bytes.subarray(offset, offset + 64 * 1024);
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'railyard-bench-s3-'));
  const server = await startS3rver(dir);
  const client = clientFor(server.port);
  try {
    const counter = countRequests(client);
    const blobs = s3BlobStore({ client, bucket: 'bench', prefix: 'bench' });
    const bundle = Array.from({ length: BLOBS }, () => randomFillSync(Buffer.allocUnsafe(BLOB_SIZE)));
    const declared = bundle.map((bytes) => ({
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.byteLength,
    }));
    const total = BLOBS * BLOB_SIZE;
    note(
      `s3-reput: a bundle of ${BLOBS} blobs × ${BLOB_SIZE / 1024} KiB (${round(total / 1e6)} MB), ${ROUNDS} re-puts`,
    );
    const putAll = () =>
      sample(async () => {
        for (let i = 0; i < BLOBS; i++) await blobs.put(chunks(bundle[i]), declared[i]);
        return BLOBS;
      });
    counter.bytes = 0;
    counter.requests = 0;
    const first = await putAll();
    const firstBytes = counter.bytes;
    const firstRequests = counter.requests;
    const reputs = [];
    for (let r = 0; r < ROUNDS; r++) {
      counter.bytes = 0;
      counter.requests = 0;
      const s = await putAll();
      reputs.push({ ...s, bytes: counter.bytes, requests: counter.requests });
    }
    const sent = median(reputs.map((s) => s.bytes));
    note(
      `first put: ${firstBytes} body bytes in ${firstRequests} requests, ${round(first.ms)} ms; re-put (median): ${sent} body bytes in ${median(reputs.map((s) => s.requests))} requests (HEADs), ${round(median(reputs.map((s) => s.ms)))} ms`,
    );
    return [{ name: 's3-reput', value: sent, unit: 'bytes', baseline: 'bundle-bytes', ratio: sent / total }];
  } finally {
    client.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
