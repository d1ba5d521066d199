import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '@railyard/adapter-http';
import { fileBlobStore } from '@railyard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUDIENCE, digestOf, type ProductionSite, SECRETS, signedFetch, startProduction } from './helpers.js';

const MiB = 1024 * 1024;
let site: ProductionSite | undefined;
let dir: string | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The design key's signed headers for a blob PUT, and its target path. */
function signedBlobPut(s: ProductionSite, digest: string, size: number) {
  const target = `/v1/blobs/${encodeURIComponent(digest)}?size=${size}`;
  const headers = signRequest({
    method: 'PUT',
    target,
    contentSha256: digest.slice('sha256:'.length),
    keyId: 'design',
    secret: SECRETS.design,
    audience: AUDIENCE,
    now: s.clock.now(),
  });
  return { target, headers };
}

/** A signed blob PUT for the agent's fetch handler, with whatever body and Content-Length the test wants. */
function blobRequest(
  s: ProductionSite,
  digest: string,
  size: number,
  body: ReadableStream<Uint8Array>,
  contentLength?: number,
) {
  const { target, headers } = signedBlobPut(s, digest, size);
  if (contentLength !== undefined) headers['content-length'] = String(contentLength);
  return new Request(`http://agent.invalid${target}`, { method: 'PUT', headers, body, duplex: 'half' } as RequestInit);
}

/**
 * `total` bytes in fresh 64 KiB chunks (as a socket delivers them, so that holding on to chunks
 * shows), noting the process's peak memory as they flow.
 */
function zeros(
  total: number,
  peak: { bytes: number },
  stall?: Promise<void>,
  stalled?: { now: boolean },
): ReadableStream<Uint8Array> {
  const size = 64 * 1024;
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stall && sent > 0) {
        if (stalled) stalled.now = true;
        await stall;
      }
      if (sent >= total) return controller.close();
      const n = Math.min(size, total - sent);
      sent += n;
      if (sent % (4 * MiB) === 0) {
        const usage = process.memoryUsage();
        peak.bytes = Math.max(peak.bytes, usage.heapUsed + usage.arrayBuffers);
      }
      controller.enqueue(new Uint8Array(n));
    },
  });
}

describe('agent body limits', () => {
  it('refuses a body one byte over the cap with 413 although its Content-Length claims it fits, with memory flat', async () => {
    dir = await mkdtemp(join(tmpdir(), 'railyard-http-'));
    const blobs = fileBlobStore({ dir, fsync: false });
    site = await startProduction({ blobs, limits: { maxBlobBytes: 256 * MiB } });
    const cap = 256 * MiB;
    const digest = digestOf('whatever: the body never completes');
    const before = process.memoryUsage();
    const peak = { bytes: before.heapUsed + before.arrayBuffers };
    const response = await site.agent.fetch(blobRequest(site, digest, cap, zeros(cap + 1, peak), cap));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION', details: { reason: 'body-too-large' } });
    // 256 MiB went through; holding on to it anywhere would show here (garbage not yet collected
    // stays well under the bound).
    expect(peak.bytes - (before.heapUsed + before.arrayBuffers)).toBeLessThan(96 * MiB);
    expect(await blobs.has(digest)).toBe(false);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses a body longer than a smaller declared Content-Length with 413', async () => {
    site = await startProduction();
    const digest = digestOf('x'.repeat(1000));
    const peak = { bytes: 0 };
    const response = await site.agent.fetch(blobRequest(site, digest, 8 * MiB, zeros(8 * MiB, peak), 1000));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toMatch(/longer than its Content-Length/);
    expect(await site.blobs.has(digest)).toBe(false);
  });

  it('over the wire, refuses a chunked upload past the cap with 413, memory flat, and closes the connection', async () => {
    dir = await mkdtemp(join(tmpdir(), 'railyard-http-'));
    const cap = 192 * MiB;
    site = await startProduction({ blobs: fileBlobStore({ dir, fsync: false }), limits: { maxBlobBytes: cap } });
    const digest = digestOf('never');
    const { target, headers } = signedBlobPut(site, digest, cap);
    const { port } = new URL(site.url);
    const socket = connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (data) => received.push(data));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(
      `PUT ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n`,
    );
    const chunk = Buffer.alloc(256 * 1024);
    const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    const before = process.memoryUsage();
    let peak = before.heapUsed + before.arrayBuffers;
    // Up to cap + 8 MiB; the agent answers once cap + 1 bytes have arrived, and stops reading.
    for (let sent = 0; sent < cap + 8 * MiB && !socket.destroyed && received.length === 0; sent += chunk.length) {
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      const flushed = socket.write('\r\n');
      if (sent % (4 * MiB) === 0) {
        const usage = process.memoryUsage();
        peak = Math.max(peak, usage.heapUsed + usage.arrayBuffers);
      }
      if (!flushed) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), answered, closed]);
    }
    await closed;
    const text = Buffer.concat(received).toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(peak - (before.heapUsed + before.arrayBuffers)).toBeLessThan(96 * MiB);
    expect(await site.blobs.has(digest)).toBe(false);
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    site = await startProduction({ limits: { maxJsonBytes: 1024 } });
    const big = JSON.stringify({ project: 'p', version: '1.0.0', padding: 'x'.repeat(2000) });
    const response = await signedFetch(site.url, {
      method: 'PUT',
      target: `/v1/bundles/${encodeURIComponent(digestOf('m'))}`,
      body: big,
      now: site.clock.now(),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /declares 2\d{3} bytes, over limits\.maxJsonBytes/,
    );
  });

  it('refuses bytes that are not the blob they claim to be with 422, storing nothing', async () => {
    site = await startProduction();
    const digest = digestOf('hello');
    const { target, headers } = signedBlobPut(site, digest, 5);
    const response = await fetch(`${site.url}${target}`, { method: 'PUT', headers, body: 'jello' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'BLOB_INTEGRITY' });
    expect(await site.blobs.has(digest)).toBe(false);
    const good = signedBlobPut(site, digest, 5).headers;
    expect((await fetch(`${site.url}${target}`, { method: 'PUT', headers: good, body: 'hello' })).status).toBe(201);
    expect(await site.blobs.has(digest)).toBe(true);
  });
});

describe('agent capacity and timeouts', () => {
  it('answers 503 with Retry-After past the concurrent upload cap', async () => {
    site = await startProduction({ limits: { maxConcurrentUploads: 1 } });
    let release!: () => void;
    const stall = new Promise<void>((resolve) => {
      release = resolve;
    });
    const digest = digestOf(new Uint8Array(128 * 1024));
    const first = site.agent.fetch(blobRequest(site, digest, 128 * 1024, zeros(128 * 1024, { bytes: 0 }, stall)));
    await vi.waitFor(() => expect(site?.clock.pending()).toBeGreaterThan(0));
    const second = await site.agent.fetch(blobRequest(site, digest, 128 * 1024, zeros(128 * 1024, { bytes: 0 })));
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(await second.json()).toMatchObject({ retryable: true, details: { reason: 'busy' } });
    release();
    expect((await first).status).toBe(201);
  });

  it('abandons a body that stops arriving with 408 once the idle timeout passes on the agent’s clock', async () => {
    site = await startProduction({ limits: { bodyIdleTimeoutMs: 30_000 } });
    const never = new Promise<void>(() => undefined);
    const digest = digestOf(new Uint8Array(1024 * 1024));
    const stalled = { now: false };
    const body = zeros(1024 * 1024, { bytes: 0 }, never, stalled);
    const pending = site.agent.fetch(blobRequest(site, digest, 1024 * 1024, body));
    await vi.waitFor(() => expect(stalled.now && site?.clock.pending()).toBe(1));
    await site.clock.advance(29_999);
    await site.clock.advance(1);
    const response = await pending;
    expect(response.status).toBe(408);
    expect(await response.json()).toMatchObject({ retryable: true, details: { reason: 'timeout' } });
    expect(await site.blobs.has(digest)).toBe(false);
  });
});
