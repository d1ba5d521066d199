import { type ConformanceFramework, caught, codeOf, itWhen } from './framework.js';
import type { StateStoreUnderTest } from './state-store-fixtures.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);

/**
 * The `rememberNonce` cases of the state store suite (capability `nonces`): a nonce is accepted
 * once until it expires, per scope, exactly once among racing callers, and leaves the journal
 * alone. Reported as skipped for a store without `nonces`.
 * @internal
 */
export function registerStateStoreNonceCases(
  framework: ConformanceFramework,
  ctx: () => StateStoreUnderTest,
  capable: boolean,
): void {
  const { expect } = framework;
  const it = (name: string, body: () => Promise<void>) =>
    itWhen(framework, { capability: 'nonces', declared: capable }, `${name} (nonces)`, body);
  const remember = (scope: string, nonce: string, expiresInMs: number, nowMs = 0) =>
    ctx().store.rememberNonce!({ scope, nonce, expiresAt: at(nowMs + expiresInMs), now: at(nowMs) });

  it('accepts a nonce once, refuses it again until it expires, then accepts it again', async () => {
    expect(await remember('agent/design', 'n-1', 60_000)).toBe(true);
    expect(await remember('agent/design', 'n-1', 60_000, 1_000)).toBe(false);
    expect(await remember('agent/design', 'n-1', 60_000, 59_999)).toBe(false);
    expect(await remember('agent/design', 'n-1', 60_000, 60_000)).toBe(true);
  });

  it('keeps scopes apart: the same nonce in another scope is fresh', async () => {
    expect(await remember('agent/design', 'n-2', 60_000)).toBe(true);
    expect(await remember('agent/ops', 'n-2', 60_000)).toBe(true);
    expect(await remember('agent/ops', 'n-2', 60_000)).toBe(false);
  });

  it('accepts a nonce for exactly one of many callers racing with it', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => remember('agent/race', 'n-3', 60_000)));
    expect(answers.filter(Boolean).length).toBe(1);
  });

  it('writes nothing to the journal and refuses a malformed claim', async () => {
    const { store, probe } = ctx();
    const before = (await probe.readJournal()).length;
    expect(await remember('agent/design', 'n-4', 60_000)).toBe(true);
    expect((await probe.readJournal()).length).toBe(before);
    const error = await caught(expect, () =>
      store.rememberNonce!({ scope: '', nonce: 'n-5', expiresAt: at(1), now: at(0) }),
    );
    expect(codeOf(error)).toBe('VALIDATION');
  });
}
