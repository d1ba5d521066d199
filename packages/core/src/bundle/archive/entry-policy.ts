import type { Headers } from 'tar-stream';
import { ArchiveError } from '../../contracts/errors.js';
import { type ArchiveName, classifyName, MAX_METADATA_BYTES } from './format.js';
import type { ArchiveLimits } from './limits.js';

/**
 * The advice every refusal ends with: archives are made by `bundles.export`, never edited by hand.
 * @internal
 */
export const NOTHING_IMPORTED =
  'Nothing was imported; export the bundle again with bundles.export on the site that holds it.';

// Control characters (NUL included) and backslashes never occur in names the format writes, and
// are how path checks get fooled (NUL truncation, Windows separators).
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

function quote(name: string): string {
  return JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name);
}

function checkPath(name: string, limits: ArchiveLimits): void {
  const length = Buffer.byteLength(name, 'utf8');
  if (length > limits.maxPathLength) {
    throw new ArchiveError(
      'path-too-long',
      `Archive entry ${quote(name)} has a ${length}-byte name, over the limit of ${limits.maxPathLength}. ${NOTHING_IMPORTED}`,
      { entry: name, length, limit: limits.maxPathLength },
    );
  }
  const segments = name.split('/');
  const unsafe =
    FORBIDDEN_CHARACTERS.test(name) ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (unsafe) {
    throw new ArchiveError(
      'unsafe-path',
      `Archive entry ${quote(name)} is not a plain relative path (absolute, "..", ".", empty segments, backslashes and control characters are refused). ${NOTHING_IMPORTED}`,
      { entry: name },
    );
  }
}

function checkType(header: Headers): void {
  if (header.type === 'file') return;
  if (header.type === 'link' || header.type === 'symlink') {
    throw new ArchiveError(
      'link',
      `Archive entry ${quote(header.name)} is a ${header.type === 'link' ? 'hard link' : 'symbolic link'} (to ${quote(header.linkname ?? '')}); bundle archives hold regular files only. ${NOTHING_IMPORTED}`,
      { entry: header.name, type: header.type, linkname: header.linkname ?? null },
    );
  }
  throw new ArchiveError(
    'not-a-regular-file',
    `Archive entry ${quote(header.name)} is a ${header.type ?? 'entry of unknown type'}; bundle archives hold regular files only (no directories, devices or FIFOs). ${NOTHING_IMPORTED}`,
    { entry: header.name, type: header.type ?? null },
  );
}

function checkSize(header: Headers, name: ArchiveName | null, limits: ArchiveLimits): void {
  const size = header.size ?? 0;
  const limit =
    name?.kind === 'header' || name?.kind === 'signature'
      ? MAX_METADATA_BYTES
      : name?.kind === 'manifest'
        ? limits.maxManifestBytes
        : limits.maxEntryBytes;
  if (size <= limit) return;
  const reason = name?.kind === 'manifest' ? 'manifest-too-large' : 'entry-too-large';
  throw new ArchiveError(
    reason,
    `Archive entry ${quote(header.name)} declares ${size} bytes, over the limit of ${limit}. Raise limits.${name?.kind === 'manifest' ? 'maxManifestBytes' : 'maxEntryBytes'} if the archive is trusted; ${NOTHING_IMPORTED}`,
    { entry: header.name, size, limit },
  );
}

/**
 * Checks one tar header before any of its bytes are read: name length and shape, type (regular
 * files only) and declared size; then says which entry of the format it is.
 * @internal
 *
 * @example
 * ```ts
 * const name = checkEntryHeader(entry.header, limits); // throws ArchiveError for '../x', links, …
 * ```
 */
export function checkEntryHeader(header: Headers, limits: ArchiveLimits): ArchiveName {
  checkPath(header.name, limits);
  checkType(header);
  const name = classifyName(header.name);
  checkSize(header, name, limits);
  if (!name) {
    throw new ArchiveError(
      'unknown-entry',
      `Archive entry ${quote(header.name)} is not part of the bundle archive format (expected railyard-archive.json, manifest.json, signatures/<key>.json or blobs/sha256/<hex>). ${NOTHING_IMPORTED}`,
      { entry: header.name },
    );
  }
  return name;
}
