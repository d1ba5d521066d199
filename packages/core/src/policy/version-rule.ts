import lt from 'semver/functions/lt.js';
import type { ActiveRef } from '../model/environment.js';
import type { Policy } from '../model/policy.js';

/**
 * Whether promoting `version` over what is active would be a downgrade the policy forbids.
 * Rollbacks are exempt: they are how an environment goes back.
 *
 * @example
 * ```ts
 * isForbiddenDowngrade(policy, env.active, '1.0.0'); // true when 1.1.0 is active
 * ```
 */
export function isForbiddenDowngrade(policy: Policy, active: ActiveRef | null, version: string): boolean {
  return !policy.allowDowngrade && active !== null && lt(version, active.snapshot.version);
}
