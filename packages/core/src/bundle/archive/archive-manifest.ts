import { ArchiveError } from '../../errors/errors.js';
import { BundleManifest } from '../../model/bundle.js';
import { canonicalJson } from '../canonical-json.js';
import { ARCHIVE_ENTRY, NOTHING_IMPORTED } from './format.js';
import type { ExpectedBlob } from './staging.js';

/**
 * Reads a small entry whole, refusing it past `max` bytes even if its header lied.
 * @internal
 *
 * @example
 * ```ts
 * const bytes = await readBounded(entry.body, 'manifest.json', limits.maxManifestBytes);
 * ```
 */
export async function readBounded(body: AsyncIterable<Uint8Array>, entry: string, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      throw new ArchiveError(
        'entry-too-large',
        `Archive entry "${entry}" is larger than ${max} bytes. ${NOTHING_IMPORTED}`,
        {
          entry,
          limit: max,
        },
      );
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function invalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): ArchiveError {
  return new ArchiveError(
    'invalid-manifest',
    `${ARCHIVE_ENTRY.manifest} ${message} ${NOTHING_IMPORTED}`,
    { entry: ARCHIVE_ENTRY.manifest, ...details },
    { cause },
  );
}

/**
 * Parses the manifest's bytes, once their digest (and any required signatures) have been checked,
 * and requires them to be the manifest's canonical JSON, so the bundle id recorded is the digest
 * of exactly these bytes. Returns the manifest and the distinct blobs it names.
 * @internal
 *
 * @example
 * ```ts
 * const { manifest, blobs } = parseArchiveManifest(bytes);
 * ```
 */
export function parseArchiveManifest(bytes: Uint8Array): {
  manifest: BundleManifest;
  blobs: Map<string, ExpectedBlob>;
} {
  let text: string;
  let json: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('is not UTF-8 JSON.', {}, error);
  }
  const parsed = BundleManifest.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    throw invalid(
      `is not a valid bundle manifest (${issues
        .slice(0, 3)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ')}).`,
      { issues },
    );
  }
  const manifest = parsed.data;
  if (canonicalJson(manifest) !== text) {
    throw new ArchiveError(
      'manifest-mismatch',
      `${ARCHIVE_ENTRY.manifest} is not in canonical form (sorted keys, no whitespace, every default written), so its digest would not be the bundle id. ${NOTHING_IMPORTED}`,
      { entry: ARCHIVE_ENTRY.manifest },
    );
  }
  const blobs = new Map<string, ExpectedBlob>();
  for (const entry of manifest.entries) {
    const seen = blobs.get(entry.digest);
    if (seen && seen.size !== entry.size)
      throw invalid(`gives blob ${entry.digest} two sizes (${seen.size} and ${entry.size}).`, { digest: entry.digest });
    blobs.set(entry.digest, { digest: entry.digest, size: entry.size });
  }
  return { manifest, blobs };
}
