import { ArchiveError } from '../../errors/errors.js';
import { type ArchiveName, classifyName, MAX_METADATA_BYTES, NOTHING_IMPORTED } from './format.js';
import type { ArchiveLimits } from './limits.js';
import type { TarHeader } from './tar-reader.js';

// Control characters (NUL included) and backslashes never occur in names the format writes, and
// are how path checks get fooled (NUL truncation, Windows separators).
function hasForbiddenCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i += 1) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

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
    hasForbiddenCharacter(name) ||
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

function checkType(header: TarHeader): void {
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

function checkSize(header: TarHeader, name: ArchiveName | null, limits: ArchiveLimits): void {
  const metadata = name?.kind === 'header' || name?.kind === 'signature';
  const manifest = name?.kind === 'manifest';
  const limit = metadata ? MAX_METADATA_BYTES : manifest ? limits.maxManifestBytes : limits.maxEntryBytes;
  if (header.size <= limit) return;
  const raise = metadata
    ? ''
    : `Raise limits.${manifest ? 'maxManifestBytes' : 'maxEntryBytes'} if the archive is trusted. `;
  throw new ArchiveError(
    manifest ? 'manifest-too-large' : 'entry-too-large',
    `Archive entry ${quote(header.name)} declares ${header.size} bytes, over the limit of ${limit}. ${raise}${NOTHING_IMPORTED}`,
    { entry: header.name, size: header.size, limit },
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
export function checkEntryHeader(header: TarHeader, limits: ArchiveLimits): ArchiveName {
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
