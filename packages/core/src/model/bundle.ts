import * as z from 'zod';
import { Actor } from './actor.js';
import type * as T from './bundle-types.js';
import { Digest, SemverString, Slug, Timestamp } from './primitives.js';
import { ProjectCard } from './project-card.js';
import { ScenarioDefinition } from './verification.js';

/** One file of a bundle: its path inside the project, size and digest. @hidden */
export const BundleEntry = z
  .object({
    path: z
      .string()
      .min(1)
      .max(1024)
      .refine(
        (p) =>
          !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
        'expected a relative POSIX path without "." or ".." segments',
      ),
    size: z.number().int().nonnegative(),
    digest: Digest,
    kind: z.string().min(1).max(50).optional(),
  })
  .strict() satisfies z.ZodType<T.BundleEntry>;
/** One file of a bundle. */
export type BundleEntry = T.BundleEntry;

/** Where a bundle's content came from: the source revision (and repository) it was built from. @hidden */
export const Provenance = z
  .object({ revision: z.string().min(1).max(200), repository: z.string().max(1000).optional() })
  .strict() satisfies z.ZodType<T.Provenance>;
/** Where a bundle's content came from. */
export type Provenance = T.Provenance;

/** What a bundle needs from the environment it runs in. @hidden */
export const Requirements = z
  .object({
    variables: z.array(z.string().min(1)).default([]),
    connections: z.array(z.string().min(1)).default([]),
    stepTypes: z.array(z.string().min(1)).default([]),
  })
  .strict() satisfies z.ZodType<T.Requirements>;
/** What a bundle needs from the environment it runs in. */
export type Requirements = T.Requirements;

/**
 * The manifest of a bundle. Its canonical JSON's sha256 is the bundle id, so a manifest never changes.
 *
 * @example
 * ```ts
 * const id = bundleId(manifest); // 'sha256:…'
 * ```
 * @hidden
 */
export const BundleManifest = z
  .object({
    schema: z.literal('railyard.bundle/v1'),
    project: Slug,
    version: SemverString,
    entries: z.array(BundleEntry).max(100_000),
    requirements: Requirements,
    releaseNotes: z.string().max(100_000).default(''),
    /** Scenario definitions that travel with the project (from its descriptor). */
    scenarios: z.array(ScenarioDefinition).max(100).default([]),
    createdBy: z.string().min(1),
    createdAt: Timestamp,
    source: Provenance.optional(),
    card: ProjectCard.optional(),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    for (const entry of manifest.entries) {
      if (seen.has(entry.path))
        ctx.addIssue({ code: 'custom', message: `duplicate entry path "${entry.path}"`, path: ['entries'] });
      seen.add(entry.path);
    }
  }) satisfies z.ZodType<T.BundleManifest>;
/** The manifest of a bundle. */
export type BundleManifest = T.BundleManifest;

/** A stored bundle: its id (the manifest digest) and its manifest. @hidden */
export const BundleRecord = z
  .object({ id: Digest, manifest: BundleManifest, storedAt: Timestamp, pushedBy: Actor.optional() })
  .strict() satisfies z.ZodType<T.BundleRecord>;
/** A stored bundle. */
export type BundleRecord = T.BundleRecord;
