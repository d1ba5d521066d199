import * as z from 'zod';
import { NOTHING_IMPORTED, signatureEntryName } from '../../bundle/archive/format.js';
import { type ArchiveLimits, resolveLimits } from '../../bundle/archive/limits.js';
import { type ReadArchive, readArchive } from '../../bundle/archive/read-archive.js';
import { ArchiveStaging } from '../../bundle/archive/staging.js';
import type { ArchiveSource } from '../../bundle/archive/tar-reader.js';
import { ProgressTracker } from '../../bundle/progress.js';
import { publicKeyOf } from '../../bundle/signatures.js';
import type { OnProgress } from '../../contracts/progress.js';
import { ArchiveError, BundleConflictError, type RailyardError, ValidationError } from '../../errors/errors.js';
import { Actor, type ActorInput } from '../../model/actor.js';
import type { BundleRecord } from '../../model/bundle.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest } from '../../model/primitives.js';
import { KeyId } from '../../model/signature.js';
import type { EngineContext } from '../../runtime/context.js';
import { receiveBundle } from './bundles.js';
import { bundleSignatures, receiveSignature, signatureRefusal } from './signatures.js';

/**
 * Options of `bundles.import`.
 *
 * @example
 * ```ts
 * const options: ImportArchiveOptions = { by: operator, trustedKeys: { release: pem }, requireSignatures: 1 };
 * ```
 */
export interface ImportArchiveOptions {
  /** Who imports; the journal records them as the bundle's receiver. */
  by: ActorInput;
  /** Public keys (SPKI PEM) the importer trusts, by key id. */
  trustedKeys?: Record<string, string>;
  /** How many distinct trusted keys must have signed the bundle (default 0). */
  requireSignatures?: number;
  /** Refuse the archive unless it holds this bundle. */
  expectedId?: string;
  /** Caps on the archive; see {@link DEFAULT_ARCHIVE_LIMITS}. */
  limits?: Partial<ArchiveLimits>;
  /** Where the private staging directory is created (default: the OS temp directory). */
  stagingDir?: string;
  /**
   * Called as blobs are read and checked: blobs and blob bytes done out of the distinct blobs the
   * archive's manifest names (known once the manifest is read). The last report comes when the
   * bundle is stored.
   */
  onProgress?: OnProgress;
}

const ImportOptions = z
  .object({
    by: Actor,
    trustedKeys: z.record(KeyId, z.string().min(1)).default({}),
    requireSignatures: z.number().int().nonnegative().default(0),
    expectedId: Digest.optional(),
    limits: z.unknown().optional(),
    stagingDir: z.string().min(1).optional(),
    onProgress: z
      .custom<OnProgress>((value) => typeof value === 'function', 'onProgress must be a function')
      .optional(),
  })
  .strict();

function parseOptions(input: ImportArchiveOptions) {
  const options = parseInput(ImportOptions, input, 'bundles.import');
  for (const [keyId, pem] of Object.entries(options.trustedKeys)) publicKeyOf(pem, keyId);
  const trusted = Object.keys(options.trustedKeys).length;
  if (options.requireSignatures > trusted) {
    throw new ValidationError(
      `bundles.import: requireSignatures is ${options.requireSignatures} but only ${trusted} trusted key(s) are given; pass their public keys in trustedKeys.`,
    );
  }
  return { ...options, limits: resolveLimits(options.limits as Partial<ArchiveLimits> | undefined) };
}

/** Refuses, before anything is stored, a signature that would clash with one already recorded. */
async function checkSignatureClashes(context: EngineContext, archive: ReadArchive): Promise<void> {
  const recorded = new Map((await bundleSignatures(context, archive.id)).map((s) => [s.keyId, s.signature]));
  for (const signature of archive.signatures) {
    const existing = recorded.get(signature.keyId);
    if (existing !== undefined && existing !== signature.signature) {
      const entry = signatureEntryName(signature.keyId);
      throw new ArchiveError(
        'signature-invalid',
        `Archive entry "${entry}" differs from the signature by "${signature.keyId}" already recorded for ${archive.id}: two different keys use that key id. ${NOTHING_IMPORTED}`,
        { entry, keyId: signature.keyId },
      );
    }
  }
}

// `receiveBundle` treats the same project, version and content made at another time as the same
// bundle; an archive's signatures name its own id, so that bundle cannot stand in for it.
function sameVersionElsewhere(archive: ReadArchive, existing: BundleRecord): RailyardError {
  const version = `${archive.manifest.project}@${archive.manifest.version}`;
  return new BundleConflictError(
    `Bundle ${version} already exists here as ${existing.id} (same content, made at another time); the archive holds ${archive.id}. Promote the existing bundle, or bump the version on the source site.`,
    {
      details: {
        project: archive.manifest.project,
        version: archive.manifest.version,
        existing: existing.id,
        archive: archive.id,
      },
    },
  );
}

/**
 * Imports a bundle archive: reads and verifies it while streaming into a fresh staging directory,
 * then moves its blobs into the blob store and records the manifest and signatures. An archive
 * refused while it is read leaves no trace: no blob, no record, no staging directory. One refused
 * after its blobs were published (a conflicting bundle, a store failure) leaves those blobs, which
 * others may rely on.
 * @internal
 *
 * @example
 * ```ts
 * const bundle = await importArchive(context, createReadStream(file), { by: operator });
 * ```
 */
export async function importArchive(
  context: EngineContext,
  source: ArchiveSource,
  input: ImportArchiveOptions,
): Promise<BundleRecord> {
  const options = parseOptions(input);
  const iterable = typeof (source as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] === 'function';
  if (!(source instanceof Uint8Array) && !iterable) {
    throw new ValidationError(
      'bundles.import: the source must be bytes or a stream of bytes (for example fs.createReadStream).',
    );
  }
  let progress = new ProgressTracker({ filesTotal: 0, bytesTotal: 0 }, options.onProgress);
  const staging = await ArchiveStaging.open(options.stagingDir);
  try {
    const archive = await readArchive(source, {
      limits: options.limits,
      trustedKeys: options.trustedKeys,
      requireSignatures: options.requireSignatures,
      expectedId: options.expectedId,
      staging,
      blobs: context.blobs,
      onBlobs: (totals) => {
        progress = new ProgressTracker(totals, options.onProgress);
        return progress;
      },
    });
    await checkSignatureClashes(context, archive);
    // Blobs put here are never removed again, even if recording fails: another import, build or
    // transfer may already rely on one of them (it found it present and did not put it).
    await staging.publish(context.blobs);
    const record = await receiveBundle(context, archive.manifest, options.by);
    if (record.id !== archive.id) throw sameVersionElsewhere(archive, record);
    // Signatures this site cannot verify (key revoked, or neither trusted nor pinned here) are not recorded.
    for (const signature of archive.signatures) {
      const { refusal } = await signatureRefusal(context, signature, options.by, options.trustedKeys);
      if (!refusal) await receiveSignature(context, signature, options.by, options.trustedKeys);
    }
    progress.finish();
    return record;
  } finally {
    await staging.dispose();
  }
}
