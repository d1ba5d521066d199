import { connect, type Socket } from 'node:net';
import { signRequest } from '@railyard/adapter-http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUDIENCE, digestOf, type ProductionSite, SECRETS, startProduction } from './helpers.js';

let site: ProductionSite | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await site?.close();
  site = undefined;
});

/**
 * Starts a blob upload over a real socket, sending only the headers: the test trickles the body.
 * `answer` resolves with the agent's raw HTTP answer once it closes the connection or answers.
 */
function startUpload(
  s: ProductionSite,
  size: number,
  key: { id: string; secret: string } = { id: 'design', secret: SECRETS.design },
) {
  const digest = digestOf(new Uint8Array(size));
  const target = `/v1/blobs/${encodeURIComponent(digest)}?size=${size}`;
  const headers = signRequest({
    method: 'PUT',
    target,
    contentSha256: digest.slice('sha256:'.length),
    keyId: key.id,
    secret: key.secret,
    audience: AUDIENCE,
    now: s.clock.now(),
  });
  const socket = connect(Number(new URL(s.url).port), '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined);
  let text = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (data) => {
      text += data.toString('latin1');
      if (text.includes('\r\n\r\n') && text.includes('}')) resolve(text);
    });
    socket.on('close', () => resolve(text));
  });
  socket.write(
    `PUT ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${size}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`,
  );
  return { socket, answer, digest, send: (bytes: number) => socket.write(Buffer.alloc(bytes)) };
}

const reasonOf = (answer: string) =>
  (JSON.parse(answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1)) as { details: { reason: string } })
    .details.reason;

describe('slow uploads', () => {
  it('abandons an upload under the minimum rate once the grace period is over (408), storing nothing', async () => {
    site = await startProduction({
      limits: { minUploadBytesPerSecond: 1_000, uploadGraceMs: 10_000, bodyIdleTimeoutMs: 60_000 },
    });
    const upload = startUpload(site, 100_000);
    upload.send(500);
    // The agent is waiting for more: its watchdog sleeps on the fake clock.
    await vi.waitFor(() => expect(site?.clock.pending()).toBeGreaterThan(0));
    await site.clock.advance(9_999);
    upload.send(500); // 1,000 bytes in 10 s is 100 bytes/s: far under 1,000.
    await site.clock.advance(1);
    const answer = await upload.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(reasonOf(answer)).toBe('too-slow');
    expect(answer).toMatch(/under limits\.minUploadBytesPerSecond/);
    expect(await site.blobs.has(upload.digest)).toBe(false);
  });

  it('abandons an upload that keeps trickling past its total deadline (408)', async () => {
    site = await startProduction({
      limits: { uploadDeadlineMs: 20_000, minUploadBytesPerSecond: 1, uploadGraceMs: 1_000 },
    });
    const upload = startUpload(site, 1_000);
    await vi.waitFor(() => expect(site?.clock.pending()).toBeGreaterThan(0));
    // A few bytes every second: never idle, always over 1 byte/s, and never done.
    for (let second = 0; second < 20; second++) {
      upload.send(10);
      await new Promise((resolve) => setImmediate(resolve));
      await site.clock.advance(1_000);
    }
    const answer = await upload.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/did not arrive within 20000 ms \(limits\.uploadDeadlineMs\)/);
    expect(await site.blobs.has(upload.digest)).toBe(false);
  });

  it('holds each key to its share of the upload slots, so one key’s trickles cannot hold them all', async () => {
    site = await startProduction({ limits: { maxConcurrentUploads: 4, maxConcurrentUploadsPerKey: 1 } });
    const slow = startUpload(site, 1_000);
    slow.send(10);
    await vi.waitFor(() => expect(site?.clock.pending()).toBeGreaterThan(0));
    const second = startUpload(site, 1_000);
    const refused = await second.answer;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toMatch(/limits\.maxConcurrentUploadsPerKey/);
    // Another key still gets a slot.
    const other = startUpload(site, 1_000, { id: 'staging', secret: SECRETS.staging });
    other.send(1_000);
    expect(await other.answer).toMatch(/^HTTP\/1\.1 201 /);
    slow.send(990);
    expect(await slow.answer).toMatch(/^HTTP\/1\.1 201 /);
  });
});
