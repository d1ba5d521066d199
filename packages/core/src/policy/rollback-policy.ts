import type { Policy } from '../model/policy.js';

/** What the rollback policy decides for an unhealthy deployment. */
export type RollbackDecision =
  /** Roll back automatically to the snapshot it replaced. */
  | { action: 'rollback' }
  /** Stop and wait for a person: the environment halts. */
  | { action: 'halt'; why: string }
  /** Nothing automatic: the environment is degraded and the deployment left as it is. */
  | { action: 'none'; why: string };

/**
 * Applies an environment's rollback policy to an unhealthy promotion. Rollbacks themselves are never
 * rolled back (the caller halts instead); past the cap of consecutive automatic rollbacks, or in
 * `hold` mode, the environment halts for a person.
 *
 * @example
 * ```ts
 * const decision = decideRollback(policy, { signal: 'verificationFailed', canRollBack: true, consecutive: 1 });
 * ```
 */
export function decideRollback(
  policy: Policy,
  input: {
    signal: 'verificationFailed' | 'watchCritical' | 'scenarioFailed';
    canRollBack: boolean;
    consecutive: number;
  },
): RollbackDecision {
  const { autoRollback } = policy;
  if (!autoRollback.enabled) return { action: 'none', why: 'automatic rollback is off' };
  const signalled =
    input.signal === 'scenarioFailed' ? autoRollback.on.scenarios.length > 0 : autoRollback.on[input.signal];
  if (!signalled) {
    const what = {
      verificationFailed: 'a failed verification',
      watchCritical: 'a critical monitor during the watch',
      scenarioFailed: 'a failed scenario',
    };
    return { action: 'none', why: `the policy does not roll back on ${what[input.signal]}` };
  }
  if (autoRollback.mode === 'hold')
    return { action: 'halt', why: 'the policy holds for a person instead of rolling back' };
  if (!input.canRollBack) return { action: 'none', why: 'there is nothing to roll back to' };
  if (input.consecutive >= autoRollback.maxConsecutive) {
    return {
      action: 'halt',
      why: `after ${input.consecutive} automatic rollbacks in a row (the cap); a person must decide`,
    };
  }
  return { action: 'rollback' };
}
