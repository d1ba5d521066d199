import { createHash } from 'node:crypto';
import type { BlobStore } from '../contracts/blob-store.js';
import { isRailyardError } from '../errors/errors.js';
import type { BundleEntry, BundleManifest } from '../model/bundle.js';

/** What is wrong with one entry's stored bytes. */
export interface EntryProblem {
  /** The entry's path in the bundle. */
  path: string;
  /** The digest the manifest records for it. */
  digest: string;
  /** Whether its blob is missing or its bytes changed. */
  problem: 'missing' | 'altered';
  /** The problem, for people. */
  message: string;
}

/** The result of checking every blob of a bundle. */
export interface BundleVerification {
  /** Whether every entry's blob is present and intact. */
  ok: boolean;
  /** Entries checked (all of them: the check does not stop at the first problem). */
  checked: number;
  /** The bytes read. */
  bytes: number;
  /** What is wrong, entry by entry. */
  problems: EntryProblem[];
}

/**
 * Re-reads one entry's blob and checks its sha256 and size against the manifest.
 *
 * @example
 * ```ts
 * const problem = await checkEntry(blobs, entry); // undefined when intact
 * ```
 */
export async function checkEntry(blobs: BlobStore, entry: BundleEntry): Promise<EntryProblem | undefined> {
  const source = await blobs.get(entry.digest);
  if (!source) {
    return {
      path: entry.path,
      digest: entry.digest,
      problem: 'missing',
      message: `entry "${entry.path}" (${entry.digest}) is missing from the blob store`,
    };
  }
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      hash.update(chunk);
    }
  } catch (error) {
    // A store that verifies while reading (S3's) refuses altered bytes itself.
    if (!isRailyardError(error, 'BLOB_INTEGRITY')) throw error;
    return {
      path: entry.path,
      digest: entry.digest,
      problem: 'altered',
      message: `entry "${entry.path}" was altered in the blob store: ${error.message}`,
    };
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (size === entry.size && digest === entry.digest) return undefined;
  return {
    path: entry.path,
    digest: entry.digest,
    problem: 'altered',
    message: `entry "${entry.path}" was altered in the blob store: expected ${entry.digest} (${entry.size} bytes), found ${digest} (${size} bytes)`,
  };
}

/**
 * Checks every blob of a bundle (each distinct digest once) and reports all problems.
 *
 * @example
 * ```ts
 * const report = await verifyBundleBlobs(blobs, bundle.manifest);
 * if (!report.ok) console.error(report.problems.map((p) => p.message).join('\n'));
 * ```
 */
export async function verifyBundleBlobs(blobs: BlobStore, manifest: BundleManifest): Promise<BundleVerification> {
  const problems: EntryProblem[] = [];
  const seen = new Map<string, EntryProblem | undefined>();
  let bytes = 0;
  for (const entry of manifest.entries) {
    if (!seen.has(entry.digest)) {
      seen.set(entry.digest, await checkEntry(blobs, entry));
      bytes += entry.size;
    }
    const problem = seen.get(entry.digest);
    if (problem)
      problems.push({
        ...problem,
        path: entry.path,
        message: problem.message.replace(/entry "[^"]*"/, `entry "${entry.path}"`),
      });
  }
  return { ok: problems.length === 0, checked: manifest.entries.length, bytes, problems };
}
