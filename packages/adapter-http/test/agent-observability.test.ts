import { createAgent, type ServedAgent, serveAgent } from '@railyard/adapter-http';
import { createRailyard, type Logger, memoryBlobStore, memoryStateStore, type Railyard } from '@railyard/core';
import { adapterError, type BlobStore } from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE, designer, SECRETS, signedFetch, testKeys } from './helpers.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdefghijklmn';

type Line = { level: string; facts: Record<string, unknown>; message: string };
function capturingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (facts: Record<string, unknown>, message: string) => {
    lines.push({ level, facts, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const opened: Array<{ served: ServedAgent; railyard: Railyard }> = [];
afterEach(async () => {
  for (const { served, railyard } of opened.splice(0)) {
    await served.close();
    await railyard.close();
  }
});

/** A production site on 127.0.0.1 whose blob store can be made unreachable. */
async function start(options: { logger?: Logger } = {}) {
  const clock = createFakeClock();
  const memory = memoryBlobStore();
  const outage = { down: false };
  const blobs: BlobStore = {
    ...memory,
    has: async (digest) => {
      if (outage.down)
        throw adapterError({
          operation: 'has',
          retryable: false,
          cause: new Error('connect ECONNREFUSED 10.0.0.9:9000'),
        });
      return memory.has(digest);
    },
  };
  const store = memoryStateStore();
  const railyard = createRailyard({ store, blobs, clock });
  await railyard.environments.define({ id: 'staging' });
  await railyard.environments.define({
    id: 'production',
    policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
  });
  const agent = createAgent(railyard, {
    keys: testKeys(),
    audience: AUDIENCE,
    store,
    clock,
    metricsToken: METRICS_TOKEN,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const served = await serveAgent(agent, { graceMs: 1_000, ...(options.logger ? { logger: options.logger } : {}) });
  opened.push({ served, railyard });
  return { railyard, url: served.url, clock, outage };
}

describe('agent health', () => {
  it('tells liveness from readiness: a store outage makes it not ready, but still alive', async () => {
    const site = await start();
    const ready = await fetch(`${site.url}/v1/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', blobs: 'ok' } });

    site.outage.down = true;
    const notReady = await fetch(`${site.url}/v1/health/ready`);
    expect(notReady.status).toBe(503);
    const body = await notReady.text();
    expect(JSON.parse(body)).toEqual({ status: 'not_ready', checks: { store: 'ok', blobs: 'failing' } });
    expect(body).not.toContain('10.0.0.9'); // causes go to the log, never to strangers
    const live = await fetch(`${site.url}/v1/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    expect(await (await fetch(`${site.url}/v1/health`)).json()).toEqual({ status: 'ok' });
  });
});

describe('agent metrics', () => {
  it('serves the engine’s metrics in Prometheus text to the token or a key that reads everything', async () => {
    const site = await start();
    const bundle = await site.railyard.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'model.bin', content: 'weights' }],
      createdBy: designer,
    });
    await site.railyard.deployments.promote({ bundle: bundle.id, to: 'staging', by: designer });
    await site.railyard.settle();

    const scraped = await fetch(`${site.url}/v1/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await scraped.text();
    expect(text).toContain('# TYPE railyard_deployment_transitions_total counter');
    expect(text).toContain(
      'railyard_deployment_transitions_total{environment="staging",from="verifying",to="active"} 1',
    );
    expect(text).toContain('railyard_deployments{environment="staging",status="active"} 1');
    expect(text).toContain('railyard_environment_queue{environment="production"} 0');

    const signed = await signedFetch(site.url, {
      method: 'GET',
      target: '/v1/metrics',
      keyId: 'reader',
      secret: SECRETS.reader,
      now: site.clock.now(),
    });
    expect(signed.status).toBe(200);
    expect(await signed.text()).toContain('railyard_deployments{environment="staging",status="active"} 1');
    const unsigned = await fetch(`${site.url}/v1/metrics`);
    expect(unsigned.status).toBe(401);
    const wrongToken = await fetch(`${site.url}/v1/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}x` },
    });
    expect(wrongToken.status).toBe(401);
    // The design key may read only production; metrics cover every environment.
    const partial = await signedFetch(site.url, {
      method: 'GET',
      target: '/v1/metrics',
      keyId: 'design',
      now: site.clock.now(),
    });
    expect(partial.status).toBe(403);
  });

  it('refuses a metrics token shorter than 32 characters', () => {
    const store = memoryStateStore();
    const railyard = createRailyard({ store, blobs: memoryBlobStore() });
    expect(() => createAgent(railyard, { keys: testKeys(), audience: AUDIENCE, store, metricsToken: 'short' })).toThrow(
      /at least 32 characters/,
    );
  });
});

describe('agent logger', () => {
  it('logs listening and closing, requests at debug and refusals at warn, without secrets', async () => {
    const logger = capturingLogger();
    const site = await start({ logger });
    await fetch(`${site.url}/v1/health`);
    await fetch(`${site.url}/v1/environments`);
    await fetch(`${site.url}/v1/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const { served } = opened.pop()!;
    await served.close();
    await site.railyard.close();
    expect(logger.lines.map((line) => [line.level, line.message, line.facts.path ?? line.facts.url])).toEqual([
      ['info', 'railyard agent listening', site.url],
      ['debug', 'agent answered a request', '/v1/health'],
      ['warn', 'agent refused a request', '/v1/environments'],
      ['debug', 'agent answered a request', '/v1/metrics'],
      ['info', 'railyard agent closing', site.url],
    ]);
    expect(logger.lines[2]?.facts).toMatchObject({ method: 'GET', status: 401 });
    expect(JSON.stringify(logger.lines)).not.toContain(METRICS_TOKEN);
  });
});
