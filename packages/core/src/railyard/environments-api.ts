import type { ActorInput } from '../model/actor.js';
import type { ResumeInput } from '../model/commands.js';
import type { EnvironmentDefinitionInput, EnvironmentRecord } from '../model/environment.js';
import type { EnvironmentHealth } from '../model/health.js';

/**
 * `railyard.environments`: the stages a bundle moves through, defined in code.
 *
 * @example
 * ```ts
 * await railyard.environments.define({ id: 'staging', promotesFrom: ['design'] });
 * const staging = await railyard.environments.get('staging');
 * ```
 */
export interface EnvironmentsApi {
  /**
   * Defines an environment or changes its definition (policy, variables, remaps); journaled.
   *
   * @example
   * ```ts
   * await railyard.environments.define({ id: 'production', promotesFrom: ['staging'], policy: { approvals: { required: 2 } } }, { by: admin });
   * ```
   */
  define(definition: EnvironmentDefinitionInput, options?: { by?: ActorInput }): Promise<EnvironmentRecord>;
  /**
   * An environment, or `null` if none has this id.
   *
   * @example
   * ```ts
   * const production = await railyard.environments.get('production');
   * console.log(production?.status, production?.active?.deploymentId);
   * ```
   */
  get(id: string): Promise<EnvironmentRecord | null>;
  /**
   * Every environment.
   *
   * @example
   * ```ts
   * for (const environment of await railyard.environments.list()) console.log(environment.definition.id, environment.status);
   * ```
   */
  list(): Promise<EnvironmentRecord[]>;
  /**
   * An environment's health: deployment, execution and monitor status, and the worst of them, with reasons.
   *
   * @example
   * ```ts
   * const { level, monitors } = await railyard.environments.health('production');
   * ```
   */
  health(environment: string): Promise<EnvironmentHealth>;
  /**
   * Resumes a halted environment: a person has decided what runs, and automatic rollbacks may
   * happen again (the count of consecutive ones starts over).
   *
   * @example
   * ```ts
   * await railyard.environments.resume('production', { by: oncall, reason: 'fixed the feature store' });
   * ```
   */
  resume(environment: string, input: ResumeInput): Promise<EnvironmentRecord>;
}
