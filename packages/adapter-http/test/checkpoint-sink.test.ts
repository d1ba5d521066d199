import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpCheckpointSink } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore, verifyJournal } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

const keys = generateKeyPairSync('ed25519');

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A checkpoint endpoint on 127.0.0.1 that answers with the given statuses in turn (then 201). */
async function endpoint(statuses: number[]) {
  const received: { method: string; headers: IncomingHttpHeaders; body: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body });
      const status = statuses.shift() ?? 201;
      res.writeHead(status, status === 302 ? { location: 'http://127.0.0.1:1/elsewhere' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/checkpoints`, received };
}

function railyardWith(url: string) {
  const store = memoryStateStore();
  const railyard = createRailyard({
    store,
    blobs: memoryBlobStore(),
    clock: createFakeClock(),
    retry: { retries: 0 },
    checkpoints: {
      sink: httpCheckpointSink({ url, headers: { authorization: 'Bearer audit-token' } }),
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
    },
  });
  const write = () =>
    store.commit({
      writes: [],
      journal: [
        {
          at: '2026-01-01T00:00:00.000Z',
          actor: { id: 'alice', roles: ['ops'] },
          type: 'note.written',
          subject: { kind: 'note', id: 'n' },
          data: {},
        },
      ],
    });
  return { railyard, write };
}

describe('httpCheckpointSink', () => {
  it('POSTs each signed checkpoint as JSON with the configured headers; the receiver can verify it', async () => {
    const { url, received } = await endpoint([]);
    const { railyard, write } = railyardWith(url);
    await write();
    await write();
    const checkpoint = await railyard.journal.checkpoint();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer audit-token' },
    });
    const body = JSON.parse(received[0]!.body);
    expect(body).toEqual(checkpoint);
    // A sink that cannot tell its latest checkpoint: the first export after start covers the head.
    expect(body).toMatchObject({ from: 2, seq: 2, algorithm: 'ed25519' });
    const signed = { checkpoints: [body], publicKey: keys.publicKey };
    expect(await verifyJournal(railyard.journal.read(), { signed })).toMatchObject({ ok: true, entries: 2 });
    await write();
    expect(await railyard.journal.checkpoint()).toMatchObject({ from: 3, seq: 3 });
    // The journal is verified locally against nothing: the sink is write-only.
    expect(await railyard.journal.verify()).toMatchObject({ ok: true });
  });

  it('does not follow redirects, marks 5xx retryable and 4xx final, and a failed export is covered by the next', async () => {
    const { url, received } = await endpoint([302, 503, 400]);
    const { railyard, write } = railyardWith(url);
    await write();
    await expect(railyard.journal.checkpoint()).rejects.toMatchObject({ code: 'ADAPTER', retryable: false });
    await expect(railyard.journal.checkpoint()).rejects.toMatchObject({ code: 'ADAPTER', retryable: true });
    await expect(railyard.journal.checkpoint()).rejects.toMatchObject({ code: 'ADAPTER', retryable: false });
    expect(received).toHaveLength(3); // the redirect's target was never asked
    await write();
    expect(await railyard.journal.checkpoint()).toMatchObject({ seq: 2 });
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ seq: 2 });
  });

  it('refuses a plain-http url off loopback and credentials in the url, without leaking them', () => {
    expect(() => httpCheckpointSink({ url: 'http://audit.example.com/c' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    );
    let message = '';
    try {
      httpCheckpointSink({ url: 'https://user:s3cret@audit.example.com/c' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('credentials');
    expect(message).not.toContain('s3cret');
  });
});
