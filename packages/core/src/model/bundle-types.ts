import type { Actor } from './environment-types.js';
import type { ProjectCard } from './project-card.js';
import type { ScenarioDefinition } from './verification.js';

// Bundles as named interfaces; the schemas in bundle.ts are checked against them (`satisfies`
// there, exact equality in test/model/records.test-d.ts).

/**
 * One file of a bundle: its path inside the project, size and digest.
 *
 * @example
 * ```ts
 * const models = bundle.manifest.entries.filter((entry: BundleEntry) => entry.kind === 'model');
 * ```
 */
export interface BundleEntry {
  /** A relative POSIX path without `.` or `..` segments. */
  path: string;
  /** Its size in bytes. */
  size: number;
  /** `sha256:<64 hex>` of its content. */
  digest: string;
  /** What it is (`pipeline`, `dataset`, `model`, `config`, `code`, `data`, or your own). */
  kind?: string;
}

/**
 * Where a bundle's content came from: the source revision (and repository) it was built from.
 *
 * @example
 * ```ts
 * const source: Provenance = { revision: process.env.GIT_SHA!, repository: 'git@example.com:ml/churn.git' };
 * ```
 */
export interface Provenance {
  /** The source revision (a commit). */
  revision: string;
  /** The repository. */
  repository?: string;
}

/**
 * What a bundle needs from the environment it runs in; promotion refuses an environment that lacks one.
 *
 * @example
 * ```ts
 * const requirements: Requirements = { variables: ['REGION'], connections: ['warehouse'], stepTypes: ['smoke'] };
 * ```
 */
export interface Requirements {
  /** Variables the environment must define. */
  variables: string[];
  /** Connections the environment must remap. */
  connections: string[];
  /** Step types the site must have registered. */
  stepTypes: string[];
}

/**
 * The manifest of a bundle. Its canonical JSON's sha256 is the bundle id, so a manifest never changes.
 *
 * @example
 * ```ts
 * const id = bundleId(manifest); // 'sha256:…'
 * ```
 */
export interface BundleManifest {
  /** The manifest format. */
  schema: 'railyard.bundle/v1';
  /** The project (a slug). */
  project: string;
  /** The version (semver). */
  version: string;
  /** Its files (paths are unique). */
  entries: BundleEntry[];
  /** What it needs from an environment. */
  requirements: Requirements;
  /** Release notes, for the approver. */
  releaseNotes: string;
  /** Scenario definitions that travel with the project (from its descriptor). */
  scenarios: ScenarioDefinition[];
  /** Who built it. */
  createdBy: string;
  /** When it was built. */
  createdAt: string;
  /** Where its content came from. */
  source?: Provenance;
  /** The project card (from its descriptor): what an environment's owners accept at handover. */
  card?: ProjectCard;
}

/**
 * A stored bundle: its id (the manifest digest) and its manifest.
 *
 * @example
 * ```ts
 * const bundle: BundleRecord | null = await railyard.bundles.get(id);
 * console.log(bundle?.manifest.version, bundle?.storedAt);
 * ```
 */
export interface BundleRecord {
  /** `sha256:<64 hex>` of the canonical manifest. */
  id: string;
  /** The manifest. */
  manifest: BundleManifest;
  /** When this site stored it. */
  storedAt: string;
  /**
   * The actor that pushed it to this site through a transport (an agent key's actor), whatever
   * `manifest.createdBy` declares. It counts as an author for separation of duties.
   */
  pushedBy?: Actor;
}
