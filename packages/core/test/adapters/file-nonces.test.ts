import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStateStore } from '@railyard/core/adapters';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const claim = (nonce: string, nowMs = 0) => ({
  scope: 'agent/design',
  nonce,
  expiresAt: new Date(T0 + 600_000),
  now: new Date(T0 + nowMs),
});

describe('file state store: nonces across restarts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'railyard-nonces-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a nonce after a restart that it accepted before, and forgets it once expired', async () => {
    const first = await openFileStateStore({ dir });
    expect(await first.rememberNonce?.(claim('n-1'))).toBe(true);
    await first.close();
    const second = await openFileStateStore({ dir });
    try {
      expect(await second.rememberNonce?.(claim('n-1', 1_000))).toBe(false);
      expect(await second.rememberNonce?.(claim('n-2', 1_000))).toBe(true);
      expect(await second.rememberNonce?.(claim('n-1', 600_000))).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('skips a line torn by a crash and keeps the nonces before it', async () => {
    const first = await openFileStateStore({ dir });
    expect(await first.rememberNonce?.(claim('n-1'))).toBe(true);
    await first.close();
    await appendFile(join(dir, 'nonces.ndjson'), '["agent/design","n-');
    const second = await openFileStateStore({ dir });
    try {
      expect(await second.rememberNonce?.(claim('n-1'))).toBe(false);
      expect(await second.rememberNonce?.(claim('n-3'))).toBe(true);
    } finally {
      await second.close();
    }
    expect((await readFile(join(dir, 'nonces.ndjson'), 'utf8')).includes('n-3')).toBe(true);
  });
});
