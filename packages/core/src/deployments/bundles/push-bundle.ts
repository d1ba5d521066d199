import { ProgressTracker } from '../../bundle/progress.js';
import type { OnProgress } from '../../contracts/progress.js';
import type { Transport } from '../../contracts/transport.js';
import { CapabilityError, NotFoundError, ValidationError } from '../../errors/errors.js';
import type { BundleRecord } from '../../model/bundle.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest } from '../../model/primitives.js';
import type { EngineContext } from '../../runtime/context.js';
import { getBundle } from './bundles.js';
import { bundleSignatures } from './signatures.js';

/**
 * Options of `bundles.push`.
 *
 * @example
 * ```ts
 * const options: PushBundleOptions = { transport: httpTransport({ url, keyId, secret }), onProgress: console.log };
 * ```
 */
export interface PushBundleOptions {
  /** The other site (e.g. `httpTransport` from `@railyard/adapter-http`). */
  transport: Transport;
  /** Called as blobs are sent: blobs and bytes done out of those the other site lacks. */
  onProgress?: OnProgress;
}

/**
 * What `bundles.push` sent.
 *
 * @example
 * ```ts
 * const { blobsSent, bytesSent }: PushResult = await railyard.bundles.push(id, { transport });
 * ```
 */
export interface PushResult {
  /** The pushed bundle's id. */
  bundleId: string;
  /** Blobs the other site lacked, now sent. */
  blobsSent: number;
  /** Blobs it already held (never sent twice). */
  blobsPresent: number;
  /** The bytes of the blobs sent. */
  bytesSent: number;
  /** The bundle's signatures sent with it. */
  signaturesSent: number;
}

/**
 * Sends to another site the blobs of a bundle it lacks, reporting progress over them.
 * @internal
 */
export async function pushBlobs(
  context: EngineContext,
  transport: Transport,
  bundle: BundleRecord,
  onProgress?: OnProgress,
): Promise<{ sent: number; present: number; bytes: number }> {
  const sizes = new Map(bundle.manifest.entries.map((entry) => [entry.digest, entry.size]));
  const missing = await transport.missingBlobs([...sizes.keys()]);
  const bytesTotal = missing.reduce((sum, digest) => sum + (sizes.get(digest) ?? 0), 0);
  const progress = new ProgressTracker({ filesTotal: missing.length, bytesTotal }, onProgress);
  for (const digest of missing) {
    const size = sizes.get(digest) ?? 0;
    const source = await context.blobs.get(digest);
    if (!source) {
      const path = bundle.manifest.entries.find((entry) => entry.digest === digest)?.path;
      throw new CapabilityError(
        'blobs',
        `Blob ${digest} of "${path}" is missing locally; the bundle cannot be pushed.`,
      );
    }
    await transport.pushBlob({ digest, size }, progress.count(source));
    progress.fileDone();
  }
  progress.finish();
  return { sent: missing.length, present: sizes.size - missing.length, bytes: bytesTotal };
}

/**
 * Pushes a bundle to another site without promoting it: the blobs it lacks, the manifest, then
 * the signatures. The other site verifies each blob by digest and size as it arrives.
 * @internal
 */
export async function pushBundle(
  context: EngineContext,
  rawId: string,
  options: PushBundleOptions,
): Promise<PushResult> {
  const id = parseInput(Digest, rawId, 'bundles.push id');
  if (typeof options?.transport?.pushBlob !== 'function') {
    throw new ValidationError(
      'bundles.push: pass the other site as `transport` (e.g. httpTransport from @railyard/adapter-http).',
    );
  }
  const bundle = await getBundle(context, id);
  if (!bundle) throw new NotFoundError('bundle', id);
  const pushed = await pushBlobs(context, options.transport, bundle, options.onProgress);
  await options.transport.pushBundle(bundle.manifest);
  const signatures = await bundleSignatures(context, id);
  for (const signature of signatures) await options.transport.pushSignature(signature);
  return {
    bundleId: id,
    blobsSent: pushed.sent,
    blobsPresent: pushed.present,
    bytesSent: pushed.bytes,
    signaturesSent: signatures.length,
  };
}
