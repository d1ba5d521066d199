import type { EnvironmentDefinition } from '../model/environment.js';
import { ANY_ROLE, operatorRoles } from './roles.js';

/**
 * Whether an environment is production-like: approvals are required, or it is a last stage (it
 * promotes from another environment and no environment among `defined` promotes from it).
 */
export function isProductionLike(
  definition: EnvironmentDefinition,
  defined: readonly EnvironmentDefinition[],
): boolean {
  if (definition.policy.approvals.required > 0) return true;
  const downstream = defined.some((other) => other.id !== definition.id && other.promotesFrom.includes(definition.id));
  return definition.promotesFrom.length > 0 && !downstream;
}

/**
 * The policy fields of a production-like environment that grant an action to anyone (`'*'`), or
 * an empty list.
 *
 * @example
 * ```ts
 * openRoles(definition, others); // ['operatorRoles']
 * ```
 */
export function openRoles(definition: EnvironmentDefinition, defined: readonly EnvironmentDefinition[]): string[] {
  if (!isProductionLike(definition, defined)) return [];
  const { policy } = definition;
  const fields: [string, readonly string[]][] = [
    ['approvals.roles', policy.approvals.roles],
    [policy.operatorRoles ? 'operatorRoles' : 'operatorRoles (from approvals.roles)', operatorRoles(policy)],
    ['freeze.overrideRoles', policy.freeze.overrideRoles],
  ];
  return fields.filter(([, roles]) => roles.includes(ANY_ROLE)).map(([field]) => field);
}
