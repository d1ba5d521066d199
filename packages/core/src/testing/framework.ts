/** The assertions a conformance suite uses; vitest's and jest's `expect` both fit. */
export interface ConformanceAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
}

/**
 * The test framework a conformance suite registers its cases with, injected so that `src` never
 * imports one. vitest, jest and mocha-with-chai-style `expect` fit as they are.
 *
 * @example
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * const framework: ConformanceFramework = { describe, it, expect, beforeEach, afterEach };
 * ```
 */
export interface ConformanceFramework {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
  expect(actual: unknown): ConformanceAssertion;
  beforeEach(hook: () => Promise<void>): unknown;
  afterEach(hook: () => Promise<void>): unknown;
}

/**
 * Runs `action` and returns what it threw, or fails the test when it did not throw.
 * @internal
 *
 * @example
 * ```ts
 * const error = await caught(expect, () => store.commit(stale));
 * ```
 */
export async function caught(expect: ConformanceFramework['expect'], action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  expect('the call resolved').toBe('the call threw');
  return undefined;
}

/**
 * The `code` of a thrown value, if any (works across realms and duplicated packages, unlike `instanceof`).
 * @internal
 *
 * @example
 * ```ts
 * expect(codeOf(error)).toBe('VERSION_CONFLICT');
 * ```
 */
export function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
