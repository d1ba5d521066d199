import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { DESCRIPTOR_FILE, ProjectDescriptor } from '../../bundle/descriptor.js';
import { ProgressTracker } from '../../bundle/progress.js';
import { walkProject } from '../../bundle/walk-project.js';
import type { OnProgress } from '../../contracts/progress.js';
import { NotFoundError, ValidationError } from '../../errors/errors.js';
import { Actor } from '../../model/actor.js';
import { BundleManifest, type BundleRecord, Provenance } from '../../model/bundle.js';
import { parseInput } from '../../model/parse-input.js';
import { SemverString } from '../../model/primitives.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { storeManifest } from './bundles.js';

/** Input of `bundles.build`. @hidden */
export const BuildBundleInput = z
  .object({
    dir: z.string().min(1),
    version: SemverString,
    releaseNotes: z.string().max(100_000).optional(),
    createdBy: Actor,
    source: Provenance.optional(),
  })
  .strict();
/**
 * Input of `bundles.build`.
 *
 * @example
 * ```ts
 * const input: BuildBundleInput = { dir: './churn', version: '1.4.0', createdBy: designer, onProgress: console.log };
 * ```
 */
export type BuildBundleInput = z.input<typeof BuildBundleInput> & {
  /** Called as files are read: files and bytes done out of the project's totals. */
  onProgress?: OnProgress;
};

const BUILD_CONCURRENCY = 2;
const HASH_CHUNK = 1 << 20;
const PUT_CHUNK = 256 << 10;

/**
 * Hashes a file, and sends it to the blob store only when the store lacks its digest: a rebuild
 * costs a read of each file, and writes only what changed. The store checks the digest again as
 * the bytes stream in, so a file that changes in between is refused, not stored wrong.
 */
async function storeFile(
  context: EngineContext,
  path: string,
  size: number,
  buffer: Buffer,
  progress: ProgressTracker,
): Promise<{ digest: string; size: number }> {
  // Hash into one reused buffer per worker: no garbage per chunk, so memory stays flat.
  const hash = createHash('sha256');
  let read = 0;
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      read += bytesRead;
      progress.bytes(bytesRead);
    }
  } finally {
    await file.close();
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (read === size && (await context.blobs.has(digest))) return { digest, size };
  // The store may keep the chunks it is given (a multipart upload does), so these are fresh buffers.
  const stream = createReadStream(path, { highWaterMark: PUT_CHUNK });
  return context.blobs.put(stream, { digest, size }).finally(() => stream.destroy());
}

/** Maps with at most `limit` calls in flight, keeping the input order in the result. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, worker: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (_: unknown, id: number) => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Reads and validates a project's `railyard.project.json`.
 * @internal
 */
export async function readDescriptor(dir: string): Promise<ProjectDescriptor> {
  const path = join(dir, DESCRIPTOR_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(
        'project descriptor',
        path,
        `Create ${DESCRIPTOR_FILE} in the project root (see docs/bundles.md).`,
      );
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseInput(ProjectDescriptor, json, path);
}

/**
 * Builds a bundle from a project directory: every included file streams through sha256 into the
 * blob store (never whole in memory; unchanged files add no bytes), then the manifest is recorded.
 * The same project and version with other content is refused; the same content again returns the
 * existing bundle.
 * @internal
 */
export async function buildBundle(context: EngineContext, input: BuildBundleInput): Promise<BundleRecord> {
  const { onProgress, ...rest } = input;
  const command = parseInput(BuildBundleInput, rest, 'bundles.build');
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ValidationError('bundles.build: onProgress must be a function.');
  }
  const descriptor = await readDescriptor(command.dir);
  const files = await walkProject(command.dir, descriptor);
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const progress = new ProgressTracker({ filesTotal: files.length, bytesTotal }, onProgress);
  // A few files in flight overlap one file's fsync with the next one's reading.
  const buffers = new Map<number, Buffer>();
  const entries = await mapLimit(files, BUILD_CONCURRENCY, async (file, worker) => {
    const buffer = buffers.get(worker) ?? Buffer.allocUnsafe(HASH_CHUNK);
    buffers.set(worker, buffer);
    const stored = await storeFile(context, file.absolutePath, file.size, buffer, progress);
    progress.fileDone();
    return { path: file.path, size: stored.size, digest: stored.digest, ...(file.kind ? { kind: file.kind } : {}) };
  });
  const manifest = parseInput(
    BundleManifest,
    {
      schema: 'railyard.bundle/v1',
      project: descriptor.project,
      version: command.version,
      entries,
      requirements: descriptor.requirements,
      releaseNotes: command.releaseNotes ?? '',
      scenarios: descriptor.scenarios,
      createdBy: command.createdBy.id,
      createdAt: nowIso(context),
      ...(command.source ? { source: command.source } : {}),
    },
    'bundles.build',
  );
  const record = await storeManifest(context, manifest, command.createdBy);
  progress.finish();
  return record;
}
