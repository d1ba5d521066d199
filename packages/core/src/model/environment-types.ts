// Parts of environment records as named interfaces; the schemas in environment.ts and actor.ts
// are checked against them (`satisfies` there, exact equality in test/model/records.test-d.ts).
import type { Policy } from './policy-types.js';
import type { Verification } from './verification-types.js';

/**
 * A reference to a secret the host keeps: the value of a variable or connection remap that
 * Railyard stores, journals and shows as the reference only. The host's `secrets` resolver turns
 * it into the value when host code (a step, a probe, the activation hook) runs. See docs/secrets.md.
 *
 * @example
 * ```ts
 * await railyard.environments.define({ id: 'production', variables: { DB_PASSWORD: { secret: 'prod-db-password' } } });
 * ```
 */
export interface SecretRef {
  /** The secret's name, as the host's resolver knows it. */
  secret: string;
}

/**
 * The value of a variable or connection remap: plain text, or a {@link SecretRef}.
 *
 * @example
 * ```ts
 * const variables: Record<string, SettingValue> = { REGION: 'eu-west-1', API_TOKEN: { secret: 'api-token' } };
 * ```
 */
export type SettingValue = string | SecretRef;

/**
 * Everything a deployment ran with: the bundle and the variables and remaps resolved for it.
 * A rollback restores a snapshot exactly, not today's environment settings. Secret references stay
 * references here; host code receives a {@link ResolvedSnapshot}.
 *
 * @example
 * ```ts
 * const { bundleId, variables } = environment.active?.snapshot ?? {};
 * ```
 */
export interface Snapshot {
  /** The bundle's digest. */
  bundleId: string;
  /** The bundle's project. */
  project: string;
  /** The bundle's version (semver). */
  version: string;
  /** Variables as resolved for the deployment (secret references kept as references). */
  variables: Record<string, SettingValue>;
  /** Connection remaps as resolved for the deployment (secret references kept as references). */
  connections: Record<string, SettingValue>;
}

/**
 * A {@link Snapshot} as host code receives it: every secret reference replaced by its value, read
 * from the host's resolver just before the step, probe or activation hook runs. It lives only in
 * that call: Railyard never stores, journals, emits or returns it.
 *
 * @example
 * ```ts
 * railyard.registerProbe('db-up', async ({ snapshot }: { snapshot: ResolvedSnapshot }) => (await ping(snapshot.variables.DB_URL)) ? 'pass' : 'fail');
 * ```
 */
export interface ResolvedSnapshot extends Omit<Snapshot, 'variables' | 'connections'> {
  /** Variables, secrets resolved. */
  variables: Record<string, string>;
  /** Connection remaps, secrets resolved. */
  connections: Record<string, string>;
}

/**
 * The deployment an environment currently runs, with its snapshot.
 *
 * @example
 * ```ts
 * const active: ActiveRef | null = (await railyard.environments.get('production'))?.active ?? null;
 * ```
 */
export interface ActiveRef {
  /** The active deployment's id. */
  deploymentId: string;
  /** What it runs. */
  snapshot: Snapshot;
  /** Since when (ISO 8601, UTC). */
  since: string;
}

/**
 * An environment's status as the engine sees it: `ready`, `degraded` (a monitor is critical
 * during the watch, or verification is failing) or `halted` (automatic rollbacks stopped; a person
 * must `resume` it).
 *
 * @example
 * ```ts
 * const halted = (environment: EnvironmentRecord) => environment.status === ('halted' satisfies EnvironmentStatus);
 * ```
 */
export type EnvironmentStatus = 'ready' | 'degraded' | 'halted';

/**
 * Who does something: an id and the roles it holds. Every command carries one; the journal records it.
 *
 * @example
 * ```ts
 * const operator: Actor = { id: 'operator', roles: ['ops'] };
 * const onBehalf: Actor = { id: 'alice', roles: ['designer'], via: 'design-site' };
 * ```
 */
export interface Actor {
  /** A stable id (a user name, a service account). */
  id: string;
  /** The roles it holds; policies grant by role. */
  roles: string[];
  /**
   * The actor that spoke for this one: the id of the agent key's actor through which a person was
   * named (`actOnBehalf`). Recorded beside the person on every record and counted for separation of
   * duties. Absent when the actor acted directly.
   */
  via?: string;
}

/**
 * An environment as the host defines it, with its defaults filled in: where it promotes from, its
 * policy, its variables and connection remaps, and how deployments into it are verified. A remote
 * environment lives on another site, reached through the `Transport`; its policy is that site's
 * business.
 *
 * @example
 * ```ts
 * const definition: EnvironmentDefinition | undefined = (await railyard.environments.get('production'))?.definition;
 * ```
 */
export interface EnvironmentDefinition {
  /** The environment's id (a slug). */
  id: string;
  /** A display name. */
  name?: string;
  /** The environments bundles come from (default none: bundles are promoted directly). */
  promotesFrom: string[];
  /** What it demands before, during and after a promotion. */
  policy: Policy;
  /** Variables deployments run with, by name; a value may be a secret reference. */
  variables: Record<string, SettingValue>;
  /** Connection remaps deployments run with, by name; a value may be a secret reference. */
  connections: Record<string, SettingValue>;
  /** How deployments into it are verified. */
  verification: Verification;
  /** Whether it lives on another site, reached through the transport. */
  remote: boolean;
  /** Who answers for the environment (people or groups); shown where a handover waits for them. */
  owners: string[];
}
