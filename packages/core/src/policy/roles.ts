import { PolicyError, type PolicyRule } from '../errors/errors.js';
import type { Actor } from '../model/actor.js';
import type { Policy } from '../model/policy.js';

/** The role that, written explicitly in a policy's list, grants an action to every actor. */
export const ANY_ROLE = '*';

/**
 * Whether an actor holds at least one of the roles. Fails closed: an empty list admits nobody;
 * only an explicit `'*'` admits everyone.
 */
export function hasAnyRole(actor: Actor, roles: readonly string[]): boolean {
  return roles.includes(ANY_ROLE) || actor.roles.some((role) => roles.includes(role));
}

/** The roles allowed to roll back, abandon, cancel others' requests, resume and silence; defaults to the approval roles. */
export function operatorRoles(policy: Policy): string[] {
  return policy.operatorRoles ?? policy.approvals.roles;
}

/**
 * The refusal of an actor that lacks the roles an action needs; `details` carries the actor, the
 * action and the roles.
 */
export function roleRefusal(
  rule: PolicyRule,
  actor: Actor,
  action: string,
  roles: readonly string[],
  extra: Record<string, unknown> = {},
): PolicyError {
  const hint =
    roles.length === 0
      ? ` Name the roles in the environment's policy (or '${ANY_ROLE}' to let anyone).`
      : ` It needs one of the roles ${roles.join(', ')}.`;
  return new PolicyError(rule, `${actor.id} may not ${action}.${hint}`, {
    actor: actor.id,
    ...(actor.via ? { via: actor.via } : {}),
    action,
    roles: [...roles],
    ...extra,
  });
}

/**
 * Throws unless the actor may operate the environment (roll back, abandon, resume, silence).
 *
 * @example
 * ```ts
 * assertOperator(policy, actor, 'roll back production');
 * ```
 */
export function assertOperator(policy: Policy, actor: Actor, action: string): void {
  const roles = operatorRoles(policy);
  if (!hasAnyRole(actor, roles)) throw roleRefusal('actor-role', actor, action, roles);
}
