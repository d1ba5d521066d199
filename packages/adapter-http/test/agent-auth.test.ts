import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ProductionSite, SECRETS, signedFetch, startProduction } from './helpers.js';

let site: ProductionSite;
beforeEach(async () => {
  site = await startProduction();
});
afterEach(async () => {
  await site.close();
});

const PROMOTE = JSON.stringify({ bundleId: `sha256:${'0'.repeat(64)}`, to: 'production', idempotencyKey: 'k-1' });

async function environmentIds(response: Response): Promise<string[]> {
  return ((await response.json()) as Array<{ definition: { id: string } }>).map((e) => e.definition.id);
}

async function refusal(response: Response) {
  return {
    status: response.status,
    body: (await response.json()) as { code: string; details: Record<string, unknown> },
  };
}

describe('agent authentication', () => {
  it('accepts a correctly signed request', async () => {
    const response = await signedFetch(site.url, { method: 'GET', target: '/v1/environments', now: site.clock.now() });
    expect(response.status).toBe(200);
    expect(await environmentIds(response)).toEqual(['production']);
  });

  // Each case signs one request and sends another that differs in exactly one signed component.
  const tampered: Array<[string, Parameters<typeof signedFetch>[1]['tamper']]> = [
    ['method', { method: 'PUT' }],
    ['path', { target: '/v1/promotions/' }],
    ['query', { target: '/v1/promotions?dry=1' }],
    ['body', { body: PROMOTE.replace('k-1', 'k-2') }],
    ['body digest header', { headers: { 'railyard-content-sha256': 'a'.repeat(64) } }],
    ['timestamp', { headers: { 'railyard-timestamp': String(Date.parse('2026-01-01T00:00:01Z') / 1000) } }],
    ['nonce', { headers: { 'railyard-nonce': 'another-nonce-0000000000' } }],
    ['key id', { headers: { 'railyard-key-id': 'ops' } }],
    ['audience', { headers: { 'railyard-audience': 'staging-site' } }],
    ['idempotency key', { headers: { 'idempotency-key': 'added-after-signing' } }],
    ['signature', { headers: { 'railyard-signature': `v2=${'0'.repeat(64)}` } }],
  ];
  for (const [component, tamper] of tampered) {
    it(`refuses with 401 when the ${component} differs from what was signed`, async () => {
      const response = await signedFetch(site.url, {
        method: 'POST',
        target: '/v1/promotions',
        body: PROMOTE,
        now: site.clock.now(),
        tamper,
      });
      const { status, body } = await refusal(response);
      expect(status).toBe(401);
      expect(body.code).toBe('ADAPTER');
      expect(['bad-signature', 'body-digest-mismatch']).toContain(body.details.reason);
      expect(await site.production.history('production')).toEqual([]);
    });
  }

  it('refuses a replayed request (same nonce) with 401', async () => {
    const request = {
      method: 'GET',
      target: '/v1/environments',
      now: site.clock.now(),
      nonce: 'replay-me-000000000000',
    };
    expect((await signedFetch(site.url, request)).status).toBe(200);
    const { status, body } = await refusal(await signedFetch(site.url, request));
    expect(status).toBe(401);
    expect(body.details.reason).toBe('replayed-nonce');
  });

  it('refuses a timestamp more than 300 s away either way, and accepts one within', async () => {
    const now = site.clock.now().getTime();
    const at = (offsetSeconds: number) =>
      signedFetch(site.url, { method: 'GET', target: '/v1/environments', now: new Date(now + offsetSeconds * 1000) });
    expect((await at(-299)).status).toBe(200);
    expect((await at(299)).status).toBe(200);
    for (const offset of [-301, 301]) {
      const { status, body } = await refusal(await at(offset));
      expect(status).toBe(401);
      expect(body.details.reason).toBe('stale-timestamp');
    }
    // The agent's clock moves on: a request signed "now" a while ago is stale.
    const old = site.clock.now();
    await site.clock.advance(301_000);
    expect((await signedFetch(site.url, { method: 'GET', target: '/v1/environments', now: old })).status).toBe(401);
  });

  it('refuses unsigned requests with 401, but serves the health check unsigned', async () => {
    const unsigned = await refusal(await fetch(`${site.url}/v1/environments`));
    expect(unsigned).toMatchObject({ status: 401, body: { details: { reason: 'missing-signature' } } });
    expect(await (await fetch(`${site.url}/v1/health`)).json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown key exactly as a known key with a wrong secret (no key enumeration)', async () => {
    // Both key ids have 3 characters, so that even the length of the answer cannot differ.
    const answer = async (keyId: string) => {
      const response = await signedFetch(site.url, {
        method: 'GET',
        target: '/v1/environments',
        now: site.clock.now(),
        keyId,
        secret: 'not-the-secret-of-any-key-000000000000',
      });
      const text = (await response.text()).replaceAll(keyId, '<key>');
      const headers = [...response.headers].filter(([name]) => !['date', 'railyard-correlation-id'].includes(name));
      const { correlationId: _, ...details } = (JSON.parse(text) as { details: Record<string, unknown> }).details;
      return { status: response.status, headers, body: { ...JSON.parse(text), details } };
    };
    const known = await answer('ops'); // "ops" is a key this agent has …
    const unknown = await answer('zzz'); // … "zzz" is not.
    expect(known.status).toBe(401);
    expect(known.body.details.reason).toBe('bad-signature');
    expect(unknown).toEqual(known);
  });

  it('accepts any of a key’s secrets during a rotation, and no other', async () => {
    await site.close();
    site = await startProduction({
      keys: [
        {
          id: 'design',
          secrets: [SECRETS.designNext, SECRETS.design],
          actor: { id: 'design-site', roles: [] },
          actions: ['read'],
          environments: '*',
        },
      ],
    });
    for (const secret of [SECRETS.design, SECRETS.designNext]) {
      const response = await signedFetch(site.url, {
        method: 'GET',
        target: '/v1/environments',
        now: site.clock.now(),
        secret,
      });
      expect(response.status).toBe(200);
    }
    const wrong = await signedFetch(site.url, {
      method: 'GET',
      target: '/v1/environments',
      now: site.clock.now(),
      secret: SECRETS.ops,
    });
    expect(wrong.status).toBe(401);
  });
});

describe('agent authorisation', () => {
  it('refuses with 403 a key without the action, naming what it may do', async () => {
    const response = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/promotions',
      body: PROMOTE,
      now: site.clock.now(),
      keyId: 'reader',
      secret: SECRETS.reader,
    });
    const { status, body } = await refusal(response);
    expect(status).toBe(403);
    expect(body).toMatchObject({
      code: 'POLICY_DENIED',
      details: { rule: 'actor-role', reason: 'action-not-allowed', actor: 'auditor' },
    });
  });

  it('refuses with 403 a key outside its environments, and lists only its environments', async () => {
    const response = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/promotions',
      body: PROMOTE,
      now: site.clock.now(),
      keyId: 'staging',
      secret: SECRETS.staging,
    });
    expect(await refusal(response)).toMatchObject({
      status: 403,
      body: { details: { reason: 'environment-not-allowed', environment: 'production', actor: 'staging-bot' } },
    });
    const list = await signedFetch(site.url, {
      method: 'GET',
      target: '/v1/environments',
      now: site.clock.now(),
      keyId: 'staging',
      secret: SECRETS.staging,
    });
    expect(await environmentIds(list)).toEqual(['staging']);
  });

  it('answers unknown paths with 404 and other methods with 405, as typed errors', async () => {
    const notFound = await signedFetch(site.url, { method: 'GET', target: '/v1/nothing', now: site.clock.now() });
    expect(await refusal(notFound)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const wrongMethod = await signedFetch(site.url, {
      method: 'DELETE',
      target: '/v1/environments',
      now: site.clock.now(),
    });
    expect(await refusal(wrongMethod)).toMatchObject({ status: 405, body: { code: 'VALIDATION' } });
  });
});

describe('agent rate limit', () => {
  it('answers 429 with Retry-After past the key’s rate, per key, and recovers as the clock moves', async () => {
    await site.close();
    site = await startProduction({ limits: { rate: { requests: 3, perSeconds: 60 } } });
    const get = (keyId = 'design', secret = SECRETS.design) =>
      signedFetch(site.url, { method: 'GET', target: '/v1/environments', now: site.clock.now(), keyId, secret });
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(await limited.json()).toMatchObject({
      code: 'ADAPTER',
      retryable: true,
      details: { reason: 'rate-limited' },
    });
    expect((await get('ops', SECRETS.ops)).status).toBe(200);
    await site.clock.advance(20_000);
    expect((await get()).status).toBe(200);
  });
});
