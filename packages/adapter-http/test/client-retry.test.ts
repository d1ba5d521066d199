import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgentClient } from '@railyard/adapter-http';
import { AdapterError } from '@railyard/core/errors';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECRETS } from './helpers.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server that reads each request and then drops the connection without answering. */
async function droppingServer() {
  const seen: string[] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('client retries', () => {
  it('resends a read after a dropped connection, signing each attempt afresh', async () => {
    const { url, seen } = await droppingServer();
    const clock = createFakeClock();
    const client = createAgentClient({ url, keyId: 'ops', secret: SECRETS.ops, clock, retries: 2 });
    const result = client.environments();
    result.catch(() => undefined);
    for (let attempt = 1; attempt <= 2; attempt++) {
      await vi.waitFor(() => expect(clock.pending()).toBe(1));
      await clock.advance(10_000);
    }
    await expect(result).rejects.toBeInstanceOf(AdapterError);
    expect(seen).toEqual(Array(3).fill('GET /v1/environments'));
  });

  it('never resends a rollback or an approval that may have reached the agent', async () => {
    const { url, seen } = await droppingServer();
    const client = createAgentClient({ url, keyId: 'ops', secret: SECRETS.ops, clock: createFakeClock(), retries: 3 });
    await expect(client.rollback('production', { reason: 'bad release' })).rejects.toMatchObject({
      code: 'ADAPTER',
      details: { network: true },
    });
    await expect(client.approve('production/000001')).rejects.toBeInstanceOf(AdapterError);
    expect(seen).toEqual([
      'POST /v1/environments/production/rollback',
      'POST /v1/deployments/production%2F000001/approvals',
    ]);
  });
});
