import * as z from 'zod';
import { bundleId, sameContent } from '../../bundle/bundle-id.js';
import { BlobIntegrityError, BundleConflictError } from '../../errors/errors.js';
import { Actor } from '../../model/actor.js';
import { BundleManifest, BundleRecord, Provenance, Requirements } from '../../model/bundle.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest, SemverString, Slug } from '../../model/primitives.js';
import { ProjectCard } from '../../model/project-card.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, listAll, readBundle } from '../../runtime/records.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';

/** Input of `bundles.create`: a project's files given in memory. @hidden */
export const CreateBundleInput = z
  .object({
    project: Slug,
    version: SemverString,
    entries: z
      .array(
        z
          .object({
            path: z.string().min(1),
            content: z.union([z.string(), z.instanceof(Uint8Array)]),
            kind: z.string().min(1).max(50).optional(),
          })
          .strict(),
      )
      .max(100_000),
    requirements: Requirements.default({ variables: [], connections: [], stepTypes: [] }),
    releaseNotes: z.string().max(100_000).default(''),
    createdBy: Actor,
    source: Provenance.optional(),
    /** The project card (docs/handover.md). */
    card: ProjectCard.optional(),
  })
  .strict();
/** Input of `bundles.create`. */
export type CreateBundleInput = z.input<typeof CreateBundleInput>;

/**
 * Stores a bundle from in-memory entries: each content goes to the blob store, then the manifest
 * is recorded. The same project and version with other content is refused; the same content again
 * returns the existing bundle.
 * @internal
 */
export async function createBundle(context: EngineContext, input: CreateBundleInput): Promise<BundleRecord> {
  const command = parseInput(CreateBundleInput, input, 'bundles.create');
  const entries = [];
  for (const entry of [...command.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const bytes = typeof entry.content === 'string' ? new TextEncoder().encode(entry.content) : entry.content;
    const stored = await context.blobs.put(bytes, { size: bytes.byteLength });
    entries.push({
      path: entry.path,
      size: stored.size,
      digest: stored.digest,
      ...(entry.kind ? { kind: entry.kind } : {}),
    });
  }
  const manifest = parseInput(
    BundleManifest,
    {
      schema: 'railyard.bundle/v1',
      project: command.project,
      version: command.version,
      entries,
      requirements: command.requirements,
      releaseNotes: command.releaseNotes,
      createdBy: command.createdBy.id,
      createdAt: nowIso(context),
      ...(command.source ? { source: command.source } : {}),
      ...(command.card ? { card: command.card } : {}),
    },
    'bundles.create',
  );
  return storeManifest(context, manifest, command.createdBy);
}

/**
 * Records a manifest whose blobs are already in the blob store (checked by size). This is how a
 * site receives a bundle from another. With `pushed`, `by` is the transport's actor (an agent key's)
 * and is recorded on the bundle as `pushedBy`: it then counts as an author for separation of duties,
 * whatever `createdBy` the manifest declares.
 * @internal
 */
export async function receiveBundle(
  context: EngineContext,
  input: unknown,
  by: z.input<typeof Actor>,
  options: { pushed?: boolean } = {},
): Promise<BundleRecord> {
  const manifest = parseInput(BundleManifest, input, 'bundles.receive');
  for (const entry of manifest.entries) {
    const stat = await context.blobs.stat(entry.digest);
    if (!stat || stat.size !== entry.size) {
      throw new BlobIntegrityError(
        { path: entry.path, digest: entry.digest, expectedSize: entry.size, actualSize: stat?.size ?? null },
        `Bundle ${manifest.project}@${manifest.version}: entry "${entry.path}" (${entry.digest}) is ${stat ? `${stat.size} bytes, not ${entry.size}` : 'missing'}. Push its blob first.`,
      );
    }
  }
  return storeManifest(context, manifest, parseInput(Actor, by, 'bundles.receive by'), options);
}

/** @internal */
export async function storeManifest(
  context: EngineContext,
  manifest: BundleManifest,
  by: Actor,
  options: { pushed?: boolean } = {},
): Promise<BundleRecord> {
  const id = bundleId(manifest);
  const versionKey = `${manifest.project}@${manifest.version}`;
  const existingId = (await context.store.get(KIND.bundleVersion, versionKey))?.value as
    | { bundleId: string }
    | undefined;
  if (existingId) {
    const existing = await readBundle(context, existingId.bundleId);
    if (existing && sameContent(existing.value.manifest, manifest)) return existing.value;
    throw new BundleConflictError(
      `Bundle ${versionKey} already exists with other content (${existingId.bundleId}). Published versions are immutable: bump the version.`,
      { details: { project: manifest.project, version: manifest.version, existing: existingId.bundleId } },
    );
  }
  const record: BundleRecord = { id, manifest, storedAt: nowIso(context), ...(options.pushed ? { pushedBy: by } : {}) };
  await new UnitOfWork(context)
    .put(KIND.bundle, id, null, record)
    .put(KIND.bundleVersion, versionKey, null, { bundleId: id })
    .journal({
      at: record.storedAt,
      actor: by,
      type: 'bundle.created',
      subject: { kind: KIND.bundle, id },
      data: {
        project: manifest.project,
        version: manifest.version,
        entries: manifest.entries.length,
        createdBy: manifest.createdBy,
        ...(options.pushed ? { pushedBy: by.id } : {}),
      },
    })
    .commit()
    .catch(async (error: unknown) => {
      // A concurrent identical create is fine; anything else is the caller's problem.
      const raced = await readBundle(context, id);
      if (raced) return;
      throw error;
    });
  return record;
}

/** @internal */
export async function getBundle(context: EngineContext, id: string): Promise<BundleRecord | null> {
  return (await readBundle(context, parseInput(Digest, id, 'bundles.get')))?.value ?? null;
}

/** @internal */
export async function listBundles(context: EngineContext, query: { project?: string } = {}): Promise<BundleRecord[]> {
  const bundles = (await listAll(context, KIND.bundle, BundleRecord)).map((row) => row.value);
  return bundles
    .filter((bundle) => query.project === undefined || bundle.manifest.project === query.project)
    .sort((a, b) => (a.storedAt < b.storedAt ? -1 : 1));
}
