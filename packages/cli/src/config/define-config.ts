import type { EnvironmentDefinitionInput, Probe, StepType } from '@railyard/core';
import type { BlobStore, Notifier, StateStore } from '@railyard/core/adapters';

/**
 * A store given as an instance or as a function that opens it (called only by commands that need it).
 *
 * @example
 * ```ts
 * const store: Lazy<StateStore> = () => fileStateStore({ dir: '/var/lib/railyard/state' });
 * ```
 */
export type Lazy<T> = T | (() => T | Promise<T>);

/**
 * What a `railyard.config.{ts,mts,js,mjs,json}` file declares. Every field is optional.
 *
 * @example
 * ```ts
 * const config: RailyardConfig = { actors: { olivia: ['ops'] }, site: 'https://railyard.prod.example:8443' };
 * ```
 */
export interface RailyardConfig {
  /** The state store; defaults to the file store in `./.railyard/state` beside the config. */
  store?: Lazy<StateStore>;
  /** The blob store; defaults to the file store in `./.railyard/blobs` beside the config. */
  blobs?: Lazy<BlobStore>;
  /** The host's step types, by name (used by deployments' verification and `scenarios run`). */
  steps?: Record<string, StepType>;
  /** The host's monitor probes, by name. */
  probes?: Record<string, Probe>;
  /** Receive every lifecycle event after it is committed. */
  notifiers?: Notifier[];
  /** Environments `railyard env define` (with no `--file`) defines, in order. */
  environments?: EnvironmentDefinitionInput[];
  /** Local actors and their roles: `railyard --as alice` acts with `actors.alice`. */
  actors?: Record<string, string[]>;
  /** A production site's agent URL: every command then talks to it (like `--site`). */
  site?: string;
}

/**
 * Declares the configuration of the `railyard` command line. Write it as the default export of a
 * `railyard.config.ts` (or `.mts`, `.js`, `.mjs`) at the root of a project; `railyard` finds it
 * upward from the working directory, or takes `--config <file>`.
 *
 * @example
 * ```ts
 * import { defineConfig } from '@railyard/cli';
 *
 * export default defineConfig({
 *   actors: { alice: ['dev'], olivia: ['ops'] },
 *   environments: [
 *     {
 *       id: 'production',
 *       policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
 *     },
 *   ],
 * });
 * ```
 */
export function defineConfig(config: RailyardConfig): RailyardConfig {
  return config;
}
