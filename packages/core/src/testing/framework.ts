/** The assertions a conformance suite uses; vitest's and jest's `expect` both fit. */
export interface ConformanceAssertion {
  /** Asserts identity (`Object.is`). */
  toBe(expected: unknown): void;
  /** Asserts deep equality. */
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
 * imports one. vitest fits as it is. Cases of a capability the adapter does not declare are
 * registered with `it.skipIf(true)` and a name that says why, so they are reported as skipped,
 * never as passed. For jest or mocha, give `it` a `skipIf`:
 * `Object.assign(it, { skipIf: (skip: boolean) => (skip ? it.skip : it) })`.
 *
 * @example
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * const framework: ConformanceFramework = { describe, it, expect, beforeEach, afterEach };
 * ```
 */
export interface ConformanceFramework {
  /** Groups tests. */
  describe(name: string, body: () => void): unknown;
  /** Declares a test (with `skipIf` for capabilities a store lacks). */
  it: ConformanceTest & {
    /** vitest's `it.skipIf`: registers the case as skipped when `condition` holds. */
    skipIf(condition: boolean): ConformanceTest;
  };
  /** Starts an assertion. */
  expect(actual: unknown): ConformanceAssertion;
  /** Runs before each test. */
  beforeEach(hook: () => Promise<void>): unknown;
  /** Runs after each test. */
  afterEach(hook: () => Promise<void>): unknown;
}

/**
 * Registers a case that needs a capability: run when the adapter declares it, otherwise reported
 * as skipped, its name saying which capability is missing.
 * @internal
 */
export function itWhen(
  framework: ConformanceFramework,
  need: { capability: string; declared: boolean },
  name: string,
  body: () => Promise<void>,
): void {
  const reason = need.declared ? '' : ` (skipped: the adapter does not declare "${need.capability}")`;
  framework.it.skipIf(!need.declared)(`${name}${reason}`, body);
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
