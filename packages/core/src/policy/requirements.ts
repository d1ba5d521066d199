import type { Requirements } from '../model/bundle.js';
import type { EnvironmentDefinition } from '../model/environment.js';

/** What a bundle requires that an environment lacks. */
export interface MissingRequirements {
  variables: string[];
  connections: string[];
  stepTypes: string[];
}

/**
 * Resolves a bundle's requirements against an environment and the registered step types.
 *
 * @example
 * ```ts
 * const missing = missingRequirements(manifest.requirements, env.definition, new Set(['smoke']));
 * ```
 */
export function missingRequirements(
  requirements: Requirements,
  environment: EnvironmentDefinition,
  stepTypes: ReadonlySet<string>,
): MissingRequirements | null {
  const missing = {
    variables: requirements.variables.filter((name) => !(name in environment.variables)),
    connections: requirements.connections.filter((name) => !(name in environment.connections)),
    stepTypes: requirements.stepTypes.filter((name) => !stepTypes.has(name)),
  };
  return missing.variables.length + missing.connections.length + missing.stepTypes.length === 0 ? null : missing;
}

/** A one-line description of missing requirements, for errors and journal entries. */
export function describeMissing(missing: MissingRequirements): string {
  const parts: string[] = [];
  if (missing.variables.length) parts.push(`variables ${missing.variables.join(', ')}`);
  if (missing.connections.length) parts.push(`connections ${missing.connections.join(', ')}`);
  if (missing.stepTypes.length) parts.push(`step types ${missing.stepTypes.join(', ')}`);
  return parts.join('; ');
}
