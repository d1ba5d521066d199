/** The assertions a conformance suite uses; vitest's and jest's `expect` both fit. */
export interface ConformanceAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
}

/**
 * Registers one test case; vitest's and jest's `it` fit.
 *
 * @example
 * ```ts
 * const test: ConformanceTest = it;
 * ```
 */
export type ConformanceTest = (name: string, body: () => Promise<void>) => unknown;

/**
 * The test framework a conformance suite registers its cases with, injected so that `src` never
 * imports one. vitest, jest and mocha-with-chai-style `expect` fit as they are. Cases of a
 * capability the adapter lacks are registered with `it.skipIf(true)` (vitest) or `it.skip` (jest,
 * mocha), so they are reported as skipped, never as passed.
 *
 * @example
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * const framework: ConformanceFramework = { describe, it, expect, beforeEach, afterEach };
 * ```
 */
export interface ConformanceFramework {
  describe(name: string, body: () => void): unknown;
  it: ConformanceTest & {
    /** vitest's `it.skipIf`: registers the case as skipped when `condition` holds. */
    skipIf?(condition: boolean): ConformanceTest;
    /** jest's and mocha's `it.skip`: registers the case as skipped. */
    skip?: ConformanceTest;
  };
  expect(actual: unknown): ConformanceAssertion;
  beforeEach(hook: () => Promise<void>): unknown;
  afterEach(hook: () => Promise<void>): unknown;
}

/**
 * Registers a case that needs a capability: run when the adapter has it, reported as skipped when
 * it does not (through `it.skipIf` or `it.skip`; a framework with neither does not list the case).
 * @internal
 */
export function itWhen(
  framework: ConformanceFramework,
  capable: boolean,
  name: string,
  body: () => Promise<void>,
): void {
  const { it } = framework;
  if (capable) it(name, body);
  else if (it.skipIf) it.skipIf(true)(name, body);
  else if (it.skip) it.skip(name, body);
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
