import type { FreezeWindow, Policy } from '../model/policy.js';

/**
 * The freeze window in force at an instant, if any (the one that ends last when several overlap).
 *
 * @example
 * ```ts
 * const window = activeFreeze(policy, clock.now());
 * if (window) console.log('frozen until', window.until);
 * ```
 */
export function activeFreeze(policy: Policy, at: Date): FreezeWindow | undefined {
  const now = at.toISOString();
  return policy.freeze.windows
    .filter((window) => window.from <= now && now < window.until)
    .sort((a, b) => (a.until < b.until ? 1 : -1))[0];
}
