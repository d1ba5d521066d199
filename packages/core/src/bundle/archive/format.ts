import * as z from 'zod';
import { Digest } from '../../model/primitives.js';

/**
 * The format version written in `railyard-archive.json`, the first entry of every bundle archive.
 *
 * @example
 * ```ts
 * if (header.format !== ARCHIVE_FORMAT) throw new Error('not a Railyard v1 archive');
 * ```
 */
export const ARCHIVE_FORMAT = 'railyard.archive/v1';

/**
 * The names of the fixed entries of a bundle archive, in the order they appear.
 *
 * @example
 * ```ts
 * pack.entry({ name: ARCHIVE_ENTRY.header }, JSON.stringify(header));
 * ```
 */
export const ARCHIVE_ENTRY = {
  header: 'railyard-archive.json',
  manifest: 'manifest.json',
} as const;

/**
 * Cap on the size of small JSON entries (the header and each signature), which are read whole.
 * @internal
 *
 * @example
 * ```ts
 * if (header.size > MAX_METADATA_BYTES) throw tooLarge();
 * ```
 */
export const MAX_METADATA_BYTES = 64 * 1024;

/**
 * The contents of `railyard-archive.json`: the format version and the bundle id the manifest must
 * hash to. It is not trusted: the manifest's bytes decide the id, the header only has to agree.
 *
 * @example
 * ```ts
 * ArchiveHeader.parse({ format: 'railyard.archive/v1', bundleId: 'sha256:…' });
 * ```
 */
export const ArchiveHeader = z.object({ format: z.literal(ARCHIVE_FORMAT), bundleId: Digest }).strict();
/** The contents of `railyard-archive.json`. */
export type ArchiveHeader = z.output<typeof ArchiveHeader>;

/**
 * What an allowed entry name stands for.
 * @internal
 *
 * @example
 * ```ts
 * const name: ArchiveName = { kind: 'signature', keyId: 'release' };
 * ```
 */
export type ArchiveName =
  | { kind: 'header' }
  | { kind: 'manifest' }
  | { kind: 'signature'; keyId: string }
  | { kind: 'blob'; digest: string };

const SIGNATURE_NAME = /^signatures\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})\.json$/;
const BLOB_NAME = /^blobs\/sha256\/([0-9a-f]{64})$/;

/**
 * Classifies an entry name against the names the format allows (`null` for any other name).
 * @internal
 *
 * @example
 * ```ts
 * classifyName('blobs/sha256/ab…'); // { kind: 'blob', digest: 'sha256:ab…' }
 * ```
 */
export function classifyName(name: string): ArchiveName | null {
  if (name === ARCHIVE_ENTRY.header) return { kind: 'header' };
  if (name === ARCHIVE_ENTRY.manifest) return { kind: 'manifest' };
  const signature = SIGNATURE_NAME.exec(name);
  if (signature?.[1]) return { kind: 'signature', keyId: signature[1] };
  const blob = BLOB_NAME.exec(name);
  if (blob?.[1]) return { kind: 'blob', digest: `sha256:${blob[1]}` };
  return null;
}

/**
 * The entry name of a signature by a key.
 *
 * @example
 * ```ts
 * signatureEntryName('release'); // 'signatures/release.json'
 * ```
 */
export function signatureEntryName(keyId: string): string {
  return `signatures/${keyId}.json`;
}

/**
 * The entry name of a blob.
 *
 * @example
 * ```ts
 * blobEntryName('sha256:2cf2…'); // 'blobs/sha256/2cf2…'
 * ```
 */
export function blobEntryName(digest: string): string {
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
}

/**
 * The advice every refusal ends with: archives are made by `bundles.export`, never edited by hand.
 * @internal
 *
 * @example
 * ```ts
 * throw new ArchiveError('link', `Entry "x" is a link. ${NOTHING_IMPORTED}`);
 * ```
 */
export const NOTHING_IMPORTED =
  'Nothing was imported; export the bundle again with bundles.export on the site that holds it.';
