import * as z from 'zod';
import { parseInput } from '../../model/parse-input.js';

/**
 * Caps an archive import enforces while it streams. Each is checked against what the tar headers
 * declare before an entry is read, and against the bytes actually read.
 *
 * @example
 * ```ts
 * await railyard.bundles.import(stream, { by, limits: { maxEntryBytes: 1024 ** 3 } });
 * ```
 */
export interface ArchiveLimits {
  /** Most tar entries (header, manifest, signatures and blobs together). */
  maxEntries: number;
  /** Largest single entry, in bytes. */
  maxEntryBytes: number;
  /** Most bytes read from the source, tar headers and padding included. */
  maxTotalBytes: number;
  /** Longest entry name, in UTF-8 bytes. */
  maxPathLength: number;
  /** Largest `manifest.json`, in bytes. */
  maxManifestBytes: number;
}

/**
 * The limits used when an import names none: room for the largest manifest the schema admits
 * (100,000 entries) and for model-sized blobs, while still bounding what a hostile archive costs.
 *
 * @example
 * ```ts
 * const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 8 * 1024 ** 3 };
 * ```
 */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 100_100,
  maxEntryBytes: 16 * 1024 ** 3,
  maxTotalBytes: 64 * 1024 ** 3,
  maxPathLength: 256,
  maxManifestBytes: 32 * 1024 ** 2,
});

const positive = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const LimitsInput = z
  .object({
    maxEntries: positive.optional(),
    maxEntryBytes: positive.optional(),
    maxTotalBytes: positive.optional(),
    maxPathLength: positive.optional(),
    maxManifestBytes: positive.optional(),
  })
  .strict();

/**
 * Fills in defaults for the limits a caller left out; refuses non-positive or unknown limits.
 * @internal
 *
 * @example
 * ```ts
 * resolveLimits({ maxEntries: 10 }).maxEntryBytes; // DEFAULT_ARCHIVE_LIMITS.maxEntryBytes
 * ```
 */
export function resolveLimits(input: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const given = parseInput(LimitsInput, input, 'bundles.import limits');
  const limits = { ...DEFAULT_ARCHIVE_LIMITS };
  for (const [key, value] of Object.entries(given) as [keyof ArchiveLimits, number | undefined][]) {
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}
