import { PolicyError } from '../errors/errors.js';
import type { Actor } from '../model/actor.js';
import type { Policy } from '../model/policy.js';

/** Whether an actor holds at least one of the roles (an empty list admits everyone). */
export function hasAnyRole(actor: Actor, roles: readonly string[]): boolean {
  return roles.length === 0 || actor.roles.some((role) => roles.includes(role));
}

/** The roles allowed to roll back, abandon, cancel others' requests and resume an environment. */
export function operatorRoles(policy: Policy): string[] {
  return policy.operatorRoles ?? policy.approvals.roles;
}

/**
 * Throws unless the actor may operate the environment (roll back, abandon, resume).
 *
 * @example
 * ```ts
 * assertOperator(policy, actor, 'roll back production');
 * ```
 */
export function assertOperator(policy: Policy, actor: Actor, action: string): void {
  const roles = operatorRoles(policy);
  if (!hasAnyRole(actor, roles)) {
    throw new PolicyError(
      'actor-role',
      `${actor.id} may not ${action}: it needs one of the roles ${roles.join(', ')}.`,
      {
        actor: actor.id,
        roles,
      },
    );
  }
}
