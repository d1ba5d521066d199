import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, serveAgent } from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE, testKeys } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A self-signed certificate for 127.0.0.1, made by the openssl command line. */
async function selfSigned(): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'railyard-tls-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { cert: await readFile(join(dir, 'cert.pem'), 'utf8'), key: await readFile(join(dir, 'key.pem'), 'utf8') };
}

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('serveAgent with tls', () => {
  it('serves the agent over HTTPS with the given certificate, and its url says https', async () => {
    const tls = await selfSigned();
    const store = memoryStateStore();
    const railyard = createRailyard({ store, blobs: memoryBlobStore() });
    const served = await serveAgent(createAgent(railyard, { keys: testKeys(), audience: AUDIENCE, store }), {
      tls,
      graceMs: 100,
    });
    cleanups.push(async () => {
      await served.close();
      await railyard.close();
    });
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // An unsigned request is refused by the agent itself, over TLS: the certificate served is ours.
    const answer = await get(`${served.url}/v1/environments`, tls.cert);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ code: expect.any(String) });
    await expect(get(`${served.url}/v1/environments`, '')).rejects.toThrow();
  });
});
