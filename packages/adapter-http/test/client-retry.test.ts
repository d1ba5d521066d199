import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgentClient, httpTransport } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { AdapterError } from '@railyard/core/errors';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE, designer, type ProductionSite, requester, SECRETS, startProduction } from './helpers.js';

let server: Server | undefined;
let site: ProductionSite | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  await site?.close();
  site = undefined;
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

/** A server on 127.0.0.1 that records each request (method, path, nonce) and answers with `handle`. */
async function serve(handle: Handler) {
  const seen: { request: string; nonce: string }[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const nonce = String(req.headers['railyard-nonce'] ?? '');
      seen.push({ request: `${req.method} ${req.url}`, nonce });
      void handle(req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const drop: Handler = (_req, res) => void res.socket?.destroy();

describe('client failures: classified by the client, retried by the core', () => {
  it('sends each call once; a dropped read is retryable, a dropped rollback or approval is not', async () => {
    const { url, seen } = await serve(drop);
    const client = createAgentClient({
      audience: AUDIENCE,
      url,
      keyId: 'ops',
      secret: SECRETS.ops,
      clock: createFakeClock(),
    });
    await expect(client.environments()).rejects.toMatchObject({
      code: 'ADAPTER',
      retryable: true,
      details: { network: true },
    });
    // The agent may have acted before the connection dropped: resending could roll back twice.
    await expect(client.rollback('production', { reason: 'bad release' })).rejects.toMatchObject({
      code: 'ADAPTER',
      retryable: false,
      details: { network: true },
    });
    await expect(client.approve('production/000001')).rejects.toBeInstanceOf(AdapterError);
    expect(seen.map((s) => s.request)).toEqual([
      'GET /v1/environments',
      'POST /v1/environments/production/rollback',
      'POST /v1/deployments/production%2F000001/approvals',
    ]);
  });

  it('marks 503 and 429 retryable with the Retry-After they carry, and 400 not', async () => {
    const statuses = [503, 429, 400];
    const { url } = await serve((_req, res) => {
      const status = statuses.shift() ?? 500;
      res.writeHead(status, status === 400 ? {} : { 'retry-after': '3' }).end('proxy says no');
    });
    const client = createAgentClient({
      audience: AUDIENCE,
      url,
      keyId: 'ops',
      secret: SECRETS.ops,
      clock: createFakeClock(),
    });
    for (const [status, retryable] of [
      [503, true],
      [429, true],
      [400, false],
    ] as const) {
      await expect(client.environments()).rejects.toMatchObject({
        code: 'ADAPTER',
        retryable,
        details: { httpStatus: status, ...(retryable ? { retryAfterSeconds: 3 } : {}) },
      });
    }
  });

  it('the core retries what the HTTP transport marks retryable: a promotion gets through a flaky proxy, signed afresh each time', async () => {
    site = await startProduction();
    const target = site.url;
    // In front of the agent: the first blob check answers 503, the first promotion drops its connection.
    const failOnce = new Set(['HEAD /v1/blobs', 'POST /v1/promotions']);
    const { url, seen } = await serve(async (req, res, body) => {
      const route = `${req.method} ${req.url?.split('/').slice(0, 3).join('/').split('?')[0]}`;
      if (failOnce.delete(route)) {
        if (req.method === 'HEAD') res.writeHead(503, { 'retry-after': '0' }).end();
        else res.socket?.destroy();
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
      ) as Record<string, string>;
      const answer = await fetch(target + req.url, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length ? { body } : {}),
      });
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
    });
    const design = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      clock: site.clock,
      transport: httpTransport({ audience: AUDIENCE, url, keyId: 'design', secret: SECRETS.design, clock: site.clock }),
      retry: { retries: 3, minTimeoutMs: 0, maxTimeoutMs: 0 },
    });
    await design.environments.define({ id: 'production', remote: true });
    const bundle = await design.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'models/churn.bin', content: 'weights' }],
      createdBy: designer,
    });
    const remote = await design.promote({ bundle: bundle.id, to: 'production', by: requester, idempotencyKey: 'k-1' });
    expect(failOnce.size).toBe(0);
    expect((await site.production.history('production')).map((d) => d.id)).toEqual([remote.id]);
    const promotions = seen.filter((s) => s.request === 'POST /v1/promotions');
    expect(promotions).toHaveLength(2);
    expect(new Set(promotions.map((p) => p.nonce)).size).toBe(2);
    expect(seen.filter((s) => s.request.startsWith('HEAD /v1/blobs/'))).toHaveLength(2);
    await design.close();
  });
});
