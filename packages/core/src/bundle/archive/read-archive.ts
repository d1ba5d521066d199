import type { BlobStore } from '../../contracts/blob-store.js';
import { ArchiveError } from '../../errors/errors.js';
import type { BundleManifest } from '../../model/bundle.js';
import type { BundleSignature } from '../../model/signature.js';
import { sha256Hex } from '../canonical-json.js';
import { ProgressTracker } from '../progress.js';
import { parseArchiveManifest, readBounded } from './archive-manifest.js';
import { checkArchiveSignatures, parseSignatureEntry } from './archive-signatures.js';
import { checkEntryHeader } from './entry-policy.js';
import {
  ARCHIVE_ENTRY,
  ARCHIVE_FORMAT,
  ArchiveHeader,
  blobEntryName,
  MAX_METADATA_BYTES,
  NOTHING_IMPORTED,
} from './format.js';
import type { ArchiveLimits } from './limits.js';
import type { ArchiveStaging, ExpectedBlob } from './staging.js';
import { type ArchiveSource, readTarEntries } from './tar-reader.js';

/**
 * What reading an archive needs.
 * @internal
 *
 * @example
 * ```ts
 * const options: ReadArchiveOptions = { limits, trustedKeys: {}, requireSignatures: 0, expectedId: undefined, staging, blobs };
 * ```
 */
export interface ReadArchiveOptions {
  limits: ArchiveLimits;
  trustedKeys: Readonly<Record<string, string>>;
  requireSignatures: number;
  expectedId: string | undefined;
  staging: ArchiveStaging;
  blobs: BlobStore;
  /** Told the blob totals once the manifest is admitted; returns the tracker blob bytes are counted by. */
  onBlobs?: (totals: { filesTotal: number; bytesTotal: number }) => ProgressTracker;
}

/**
 * A fully read and verified archive, its blobs staged.
 * @internal
 *
 * @example
 * ```ts
 * const { id, manifest, signatures }: ReadArchive = await readArchive(source, options);
 * ```
 */
export interface ReadArchive {
  id: string;
  manifest: BundleManifest;
  signatures: BundleSignature[];
}

type Phase = 'start' | 'header' | 'manifest' | 'blobs';

const EXPECTED: Record<Phase, string> = {
  start: `${ARCHIVE_ENTRY.header} first`,
  header: `${ARCHIVE_ENTRY.manifest} right after ${ARCHIVE_ENTRY.header}`,
  manifest: `signatures or blobs after ${ARCHIVE_ENTRY.manifest}`,
  blobs: 'only blobs after the first blob',
};

function parseHeader(bytes: Uint8Array): ArchiveHeader {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ArchiveError(
      'malformed',
      `${ARCHIVE_ENTRY.header} is not JSON. ${NOTHING_IMPORTED}`,
      {},
      { cause: error },
    );
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== ARCHIVE_FORMAT) {
    throw new ArchiveError(
      'unsupported-format',
      `The archive's format is ${JSON.stringify(format ?? null)}; this version of Railyard reads "${ARCHIVE_FORMAT}". Export it with a matching Railyard version.`,
      { format: format ?? null },
    );
  }
  const parsed = ArchiveHeader.safeParse(json);
  if (!parsed.success)
    throw new ArchiveError(
      'malformed',
      `${ARCHIVE_ENTRY.header} is invalid (${parsed.error.issues[0]?.message}). ${NOTHING_IMPORTED}`,
    );
  return parsed.data;
}

/**
 * Reads an archive entry by entry, in the order the format fixes, enforcing every limit and rule;
 * verifies the manifest's digest, then its signatures, then parses it, then checks and stages each
 * blob. Returns only when the whole archive has been verified; nothing is in the stores yet.
 * @internal
 *
 * @example
 * ```ts
 * const { id, manifest, signatures } = await readArchive(source, { limits, trustedKeys, requireSignatures: 1, expectedId: undefined, staging, blobs });
 * ```
 */
export async function readArchive(source: ArchiveSource, options: ReadArchiveOptions): Promise<ReadArchive> {
  const { limits } = options;
  let phase: Phase = 'start';
  let id = '';
  let manifestBytes: Uint8Array | null = null;
  let parsed: { manifest: BundleManifest; blobs: Map<string, ExpectedBlob> } | null = null;
  const signatures: BundleSignature[] = [];
  const names = new Set<string>();
  const received = new Set<string>();

  let progress = new ProgressTracker({ filesTotal: 0, bytesTotal: 0 }, undefined);
  const admitManifest = () => {
    // Verification precedes parsing: the signatures are checked over the digest of raw bytes.
    checkArchiveSignatures(signatures, id, { required: options.requireSignatures, trustedKeys: options.trustedKeys });
    const admitted = parseArchiveManifest(manifestBytes ?? new Uint8Array());
    const bytesTotal = [...admitted.blobs.values()].reduce((sum, blob) => sum + blob.size, 0);
    progress = options.onBlobs?.({ filesTotal: admitted.blobs.size, bytesTotal }) ?? progress;
    return admitted;
  };

  for await (const { header, body } of readTarEntries(source, limits.maxTotalBytes)) {
    if (names.size + 1 > limits.maxEntries) {
      throw new ArchiveError(
        'too-many-entries',
        `The archive has more than ${limits.maxEntries} entries. Raise limits.maxEntries if the archive is trusted; ${NOTHING_IMPORTED}`,
        { limit: limits.maxEntries },
      );
    }
    const name = checkEntryHeader(header, limits);
    if (names.has(header.name)) {
      throw new ArchiveError('duplicate-entry', `Archive entry "${header.name}" appears twice. ${NOTHING_IMPORTED}`, {
        entry: header.name,
      });
    }
    names.add(header.name);
    const expectedPhase = { header: 'start', manifest: 'header', signature: 'manifest', blob: 'manifest' }[name.kind];
    if (phase !== expectedPhase && !(name.kind === 'blob' && phase === 'blobs')) {
      throw new ArchiveError(
        'out-of-order',
        `Archive entry "${header.name}" is out of order: expected ${EXPECTED[phase]}. ${NOTHING_IMPORTED}`,
        { entry: header.name },
      );
    }
    if (name.kind === 'header') {
      id = parseHeader(await readBounded(body, header.name, MAX_METADATA_BYTES)).bundleId;
      phase = 'header';
    } else if (name.kind === 'manifest') {
      manifestBytes = await readBounded(body, header.name, limits.maxManifestBytes);
      const actual = `sha256:${sha256Hex(manifestBytes)}`;
      if (actual !== id || (options.expectedId !== undefined && actual !== options.expectedId)) {
        const expected = actual !== id ? id : options.expectedId;
        throw new ArchiveError(
          'manifest-mismatch',
          `${ARCHIVE_ENTRY.manifest} hashes to ${actual}, not to the expected bundle id ${expected}: the manifest was altered, or this is another bundle. ${NOTHING_IMPORTED}`,
          { entry: header.name, expected, actual },
        );
      }
      phase = 'manifest';
    } else if (name.kind === 'signature') {
      signatures.push(parseSignatureEntry(await readBounded(body, header.name, MAX_METADATA_BYTES), name.keyId, id));
    } else {
      parsed ??= admitManifest();
      phase = 'blobs';
      const expected = parsed.blobs.get(name.digest);
      if (!expected) {
        throw new ArchiveError(
          'not-in-manifest',
          `Archive entry "${header.name}" is a blob the manifest does not name; archives hold only the manifest's blobs. ${NOTHING_IMPORTED}`,
          { entry: header.name, digest: name.digest },
        );
      }
      if (header.size !== expected.size) {
        throw new ArchiveError(
          'size-mismatch',
          `Archive entry "${header.name}" declares ${header.size} bytes but the manifest says ${expected.size}. ${NOTHING_IMPORTED}`,
          { entry: header.name, declared: header.size, expected: expected.size },
        );
      }
      await options.staging.receive(options.blobs, expected, progress.count(body));
      received.add(name.digest);
      progress.fileDone();
    }
  }

  if (phase === 'start' || phase === 'header') {
    const missing = phase === 'start' ? ARCHIVE_ENTRY.header : ARCHIVE_ENTRY.manifest;
    throw new ArchiveError(
      'missing-entry',
      `The archive has no ${missing}; it is not a bundle archive. ${NOTHING_IMPORTED}`,
      {
        entry: missing,
      },
    );
  }
  parsed ??= admitManifest();
  const { manifest, blobs } = parsed;
  const missing = [...blobs.keys()].filter((digest) => !received.has(digest));
  if (missing.length > 0) {
    throw new ArchiveError(
      'missing-blob',
      `The archive lacks ${missing.length} blob(s) the manifest names (${missing.slice(0, 3).map(blobEntryName).join(', ')}${missing.length > 3 ? ', …' : ''}). ${NOTHING_IMPORTED}`,
      { missing },
    );
  }
  return { id, manifest, signatures };
}
