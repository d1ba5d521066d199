import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgentClient, webhookNotifier } from '@railyard/adapter-http';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE, SECRETS } from './helpers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const TOKEN = 'T0KEN-in-the-path';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server on 127.0.0.1 that answers every request with `answer`, counting what it got. */
async function serve(answer: (res: import('node:http').ServerResponse) => void) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => answer(res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

/** A redirect from one loopback server to another that would collect whatever it is sent. */
async function redirectToCollector() {
  const collector = await serve((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  const redirector = await serve((res) => res.writeHead(307, { location: `${collector.url}/collect` }).end());
  return { collector, redirector };
}

describe('the agent client never follows a redirect with signed headers', () => {
  const transport = createFakeClock();
  it('refuses a redirected command and a redirected blob push with a final typed error, sending nothing on', async () => {
    const { collector, redirector } = await redirectToCollector();
    const client = createAgentClient({
      audience: AUDIENCE,
      url: redirector.url,
      keyId: 'ops',
      secret: SECRETS.ops,
      clock: transport,
    });
    const failure = client.rollback('production', { reason: 'r', idempotencyKey: 'k-1' });
    await expect(failure).rejects.toMatchObject({
      code: 'ADAPTER',
      retryable: false,
      details: { httpStatus: 307, reason: 'redirect' },
    });
    await expect(failure).rejects.toThrow(/never forwarded/);
    const push = client.pushBlob({ digest: `sha256:${'a'.repeat(64)}`, size: 3 }, new Uint8Array(3));
    await expect(push).rejects.toMatchObject({ retryable: false, details: { reason: 'redirect' } });
    expect(redirector.hits).toHaveLength(2);
    expect(collector.hits).toEqual([]);
  });
});

describe('webhook notifier safety', () => {
  it('checks the URL when it is created, with errors that never repeat its path or password', () => {
    const cases: Array<[string, RegExp, boolean?]> = [
      [`http://hooks.example.com/${TOKEN}`, /not https/],
      [`http://127.0.0.1:8080/${TOKEN}`, /allowInsecureLoopback/],
      [`https://railyard:${TOKEN}@hooks.example.com/x`, /user name or password/],
      [`ftp://hooks.example.com/${TOKEN}`, /not https/],
      [`hooks.example.com/${TOKEN}`, /not an absolute URL/],
      [`http://10.0.0.5/${TOKEN}`, /not https/, true],
    ];
    for (const [url, message, allowInsecureLoopback] of cases) {
      let thrown: unknown;
      try {
        webhookNotifier({ url, secret: SECRET, ...(allowInsecureLoopback ? { allowInsecureLoopback } : {}) });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message) });
      expect(String((thrown as Error).message)).not.toContain(TOKEN);
    }
    expect(() => webhookNotifier({ url: `https://hooks.example.com/${TOKEN}`, secret: SECRET })).not.toThrow();
    expect(() =>
      webhookNotifier({ url: `http://localhost:9/${TOKEN}`, secret: SECRET, allowInsecureLoopback: true }),
    ).not.toThrow();
  });

  it('does not follow a redirect: the event never reaches the other host, and the failure is final', async () => {
    const { collector, redirector } = await redirectToCollector();
    const notifier = webhookNotifier({
      url: `${redirector.url}/hooks/${TOKEN}`,
      secret: SECRET,
      allowInsecureLoopback: true,
      clock: createFakeClock(),
    });
    const failure = notifier.notify({
      type: 'environment.status',
      payload: { environment: 'production', from: 'ready', to: 'degraded', reason: 'monitor critical' },
    });
    await expect(failure).rejects.toMatchObject({ retryable: false, details: { httpStatus: 307, reason: 'redirect' } });
    await expect(failure).rejects.toThrow(redirector.url);
    await failure.catch((error: Error) => expect(error.message).not.toContain(TOKEN));
    expect(redirector.hits).toEqual([`POST /hooks/${TOKEN}`]);
    expect(collector.hits).toEqual([]);
  });

  it('names only the origin when the receiver cannot be reached or refuses', async () => {
    const refusing = await serve((res) => res.writeHead(403).end());
    for (const url of [`http://127.0.0.1:9/hooks/${TOKEN}`, `${refusing.url}/hooks/${TOKEN}`]) {
      const failure = webhookNotifier({
        url,
        secret: SECRET,
        allowInsecureLoopback: true,
        clock: createFakeClock(),
      }).notify({
        type: 'environment.status',
        payload: { environment: 'production', from: 'ready', to: 'degraded', reason: 'r' },
      });
      const error = (await failure.catch((e: unknown) => e)) as Error & { cause?: unknown };
      expect(error.message).toContain(new URL(url).origin);
      expect(error.message).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    }
  });
});
