import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, webhookNotifier } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { AdapterError } from '@railyard/core/errors';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { designer } from './helpers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A webhook receiver on 127.0.0.1 that answers with the given statuses in turn (then 204). */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const status = statuses.shift() ?? 204;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status, statuses.length === 0 ? {} : { 'retry-after': '7' }).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received };
}

const transition = {
  type: 'environment.status' as const,
  payload: { environment: 'production', from: 'ready' as const, to: 'degraded' as const, reason: 'monitor critical' },
};

describe('webhook notifier', () => {
  it('signs each delivery the Standard Webhooks way, so a receiver verifies it', async () => {
    const clock = createFakeClock();
    const { url, received } = await receiver([]);
    await webhookNotifier({ url, allowInsecureLoopback: true, secret: SECRET, clock }).notify(transition);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const headers = {
      id: String(delivery?.headers['webhook-id']),
      timestamp: String(delivery?.headers['webhook-timestamp']),
      signature: String(delivery?.headers['webhook-signature']),
    };
    expect(headers.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(headers.timestamp).toBe(String(clock.now().getTime() / 1000));
    expect(verifyWebhook({ secrets: [SECRET], headers, body: delivery?.body ?? '', now: clock.now() })).toBe(true);
    expect(JSON.parse(delivery?.body ?? '')).toEqual({
      type: 'environment.status',
      timestamp: clock.now().toISOString(),
      data: transition.payload,
    });
  });

  it('marks a failing receiver retryable with its Retry-After; a retry keeps the id and body and is signed afresh', async () => {
    // A clock one second further on at every reading, so that each attempt is signed at its own time.
    let tick = Date.parse('2026-01-01T00:00:00.000Z');
    const clock = {
      now: () => {
        tick += 1000;
        return new Date(tick);
      },
      sleep: async () => undefined,
    };
    const { url, received } = await receiver([503, 500]);
    const notifier = webhookNotifier({ url, allowInsecureLoopback: true, secret: SECRET, clock });
    await expect(notifier.notify(transition)).rejects.toMatchObject({
      code: 'ADAPTER',
      retryable: true,
      details: { httpStatus: 503, retryAfterSeconds: 7 },
    });
    await expect(notifier.notify(transition)).rejects.toMatchObject({ retryable: true, details: { httpStatus: 500 } });
    await notifier.notify(transition);
    expect(received.map((r) => r.status)).toEqual([503, 500, 204]);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers['webhook-timestamp'])).size).toBe(3);
    for (const r of received) {
      const headers = {
        id: String(r.headers['webhook-id']),
        timestamp: String(r.headers['webhook-timestamp']),
        signature: String(r.headers['webhook-signature']),
      };
      expect(
        verifyWebhook({ secrets: [SECRET], headers, body: r.body, now: new Date(Number(headers.timestamp) * 1000) }),
      ).toBe(true);
    }
  });

  it('is retried by the core: a delivery refused with 503 reaches the receiver under the same id', async () => {
    const { url, received } = await receiver([503, 503]);
    const railyard = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      notifiers: [
        webhookNotifier({ url, allowInsecureLoopback: true, secret: SECRET, events: ['deployment.transition'] }),
      ],
      retry: { retries: 3, minTimeoutMs: 0, maxTimeoutMs: 0 },
    });
    await railyard.environments.define({ id: 'design' });
    const bundle = await railyard.bundles.create({
      project: 'p',
      version: '1.0.0',
      entries: [{ path: 'a', content: '1' }],
      createdBy: designer,
    });
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    await vi.waitFor(() => {
      const ids = new Set(received.map((r) => r.headers['webhook-id']));
      const delivered = new Set(received.filter((r) => r.status === 204).map((r) => r.headers['webhook-id']));
      expect(ids.size).toBeGreaterThanOrEqual(6);
      expect(delivered).toEqual(ids);
    });
    // Both 503s were answered to deliveries that the core then sent again, under the same id.
    const refused = received.filter((r) => r.status === 503);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      const attempts = received.filter((other) => other.headers['webhook-id'] === r.headers['webhook-id']);
      expect(attempts.at(-1)?.status).toBe(204);
      expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    }
    await railyard.close();
  });

  it('gives up at once on a 4xx other than 408/409/425/429, with an error that says so', async () => {
    const { url, received } = await receiver([401]);
    const failed = webhookNotifier({
      url,
      allowInsecureLoopback: true,
      secret: SECRET,
      clock: createFakeClock(),
    }).notify(transition);
    await expect(failed).rejects.toBeInstanceOf(AdapterError);
    await expect(failed).rejects.toThrow(/refused with HTTP 401/);
    expect(received).toHaveLength(1);
  });

  it('receives a Railyard’s lifecycle events, only the types asked for', async () => {
    const { url, received } = await receiver([]);
    const railyard = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      notifiers: [
        webhookNotifier({ url, allowInsecureLoopback: true, secret: SECRET, events: ['deployment.transition'] }),
      ],
    });
    await railyard.environments.define({ id: 'design' });
    const bundle = await railyard.bundles.create({
      project: 'p',
      version: '1.0.0',
      entries: [{ path: 'a', content: '1' }],
      createdBy: designer,
    });
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(6));
    const types = new Set(received.map((r) => JSON.parse(r.body).type));
    expect([...types]).toEqual(['deployment.transition']);
    expect(received.map((r) => JSON.parse(r.body).data.to)).toContain('active');
    await railyard.close();
  });
});
