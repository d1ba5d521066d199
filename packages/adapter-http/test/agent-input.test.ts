import { createAgent, createAgentClient } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { AdapterError } from '@railyard/core/errors';
import { createFakeClock } from '@railyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE, type ProductionSite, SECRETS, signedFetch, startProduction, testKeys } from './helpers.js';

let site: ProductionSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

const bundleId = `sha256:${'0'.repeat(64)}`;

describe('agent input', () => {
  it('refuses unknown fields with 422, naming them, and bad JSON with 400', async () => {
    site = await startProduction();
    const typo = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/promotions',
      body: JSON.stringify({ bundleId, to: 'production', idempotencyKey: 'k', reasn: 'typo' }),
      now: site.clock.now(),
    });
    expect(typo.status).toBe(422);
    expect(await typo.json()).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('"reasn"') });
    const notJson = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/promotions',
      body: '{"bundleId": ',
      now: site.clock.now(),
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'VALIDATION', details: { reason: 'malformed' } });
  });

  it('refuses JSON nested deeper than limits.maxJsonDepth with a typed 422, before parsing it', async () => {
    site = await startProduction();
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`]) {
      const response = await signedFetch(site.url, {
        method: 'POST',
        target: '/v1/promotions',
        body,
        now: site.clock.now(),
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION', details: { reason: 'too-deep', limit: 64 } });
    }
    // Brackets inside strings are text, not nesting.
    const text = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/promotions',
      body: JSON.stringify({ bundleId, to: 'production', idempotencyKey: 'k', reason: '['.repeat(1000) }),
      now: site.clock.now(),
    });
    expect(((await text.json()) as { details: { reason?: string } }).details.reason).not.toBe('too-deep');
    expect(site.errors).toEqual([]);
  });

  it('requires an idempotency key on promotions, so a retry can never promote twice', async () => {
    site = await startProduction();
    const response = await signedFetch(site.url, {
      method: 'POST',
      target: '/v1/promotions',
      body: JSON.stringify({ bundleId, to: 'production' }),
      now: site.clock.now(),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toMatch(/idempotencyKey/);
  });

  it('answers an unknown bundle with a typed 404 the client rebuilds', async () => {
    site = await startProduction();
    const client = createAgentClient({
      audience: AUDIENCE,
      url: site.url,
      keyId: 'design',
      secret: SECRETS.design,
      clock: site.clock,
    });
    await expect(
      client.promote({ bundleId, to: 'production', by: { id: 'rory', roles: [] }, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { kind: 'bundle' } });
  });

  it('holds each key to its nonce budget (429), rather than forgetting a nonce, and other keys are unaffected', async () => {
    site = await startProduction({ limits: { noncesPerKey: 2 } });
    const get = (keyId = 'design', secret = SECRETS.design) =>
      signedFetch(site!.url, { method: 'GET', target: '/v1/environments', now: site!.clock.now(), keyId, secret });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const full = await get();
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBe('5');
    expect(((await full.json()) as { details: { reason: string } }).details.reason).toBe('nonce-budget');
    // Another key still gets in: one key cannot fill the nonce store for all.
    expect((await get('reader', SECRETS.reader)).status).toBe(200);
    // Once the first nonces can no longer pass the timestamp window, there is room again.
    await site.clock.advance(601_000);
    expect((await get()).status).toBe(200);
  });

  it('refuses keys it cannot use, at start-up, with what to do', () => {
    const store = memoryStateStore();
    const railyard = createRailyard({ store, blobs: memoryBlobStore() });
    const [design] = testKeys();
    if (!design) throw new Error('no key');
    const base = { audience: AUDIENCE, store };
    expect(() => createAgent(railyard, { ...base, keys: [{ ...design, secrets: ['short'] }] })).toThrow(
      /openssl rand -base64 32/,
    );
    expect(() => createAgent(railyard, { ...base, keys: [design, design] })).toThrow(/listed twice/);
    expect(() => createAgent(railyard, { ...base, keys: [] })).toThrow(/at least one key/);
    expect(() => createAgent(railyard, { ...base, keys: [design], audience: '' })).toThrow(/audience/);
    const { rememberNonce: _, ...forgetful } = store;
    expect(() =>
      createAgent(railyard, { ...base, keys: [design], store: { ...forgetful, capabilities: { watch: true } } }),
    ).toThrow(expect.objectContaining({ code: 'CAPABILITY_MISSING' }));
  });

  it('reports an agent that cannot be reached with a retryable error (the core retries it)', async () => {
    const clock = createFakeClock();
    const client = createAgentClient({
      audience: AUDIENCE,
      url: 'http://127.0.0.1:9',
      keyId: 'x',
      secret: SECRETS.design,
      clock,
    });
    const failure = client.environments();
    await expect(failure).rejects.toBeInstanceOf(AdapterError);
    await expect(failure).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/could not reach/) });
  });
});
