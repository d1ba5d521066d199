import { tmpdir } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BlobInfo, BlobStore } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { checkPutOptions, digestOfKey, normalisePrefix, s3BlobKey } from './keys.js';
import { putBlob } from './put.js';
import { readBlob } from './read.js';
import { deleteObject, headSize, listPage, type StoreContext } from './s3-calls.js';

/** lib-storage's floor (and S3's minimum for every part but the last). */
const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * Options for {@link s3BlobStore}.
 *
 * @example
 * ```ts
 * const options: S3BlobStoreOptions = { client, bucket: 'acme-railyard', prefix: 'production', partSize: 32 * 1024 * 1024 };
 * ```
 */
export interface S3BlobStoreOptions {
  /**
   * The S3 client, created and owned by the caller. Create it with
   * `requestChecksumCalculation: 'WHEN_REQUIRED'` for S3-compatible servers (see docs/s3.md).
   */
  client: S3Client;
  /** The bucket; it must exist. */
  bucket: string;
  /** A key prefix such as `railyard/production`; blobs live under `<prefix>/sha256/`. Default: none. */
  prefix?: string;
  /**
   * Blobs up to this size go up as one PutObject, larger ones as a multipart upload with parts of
   * this size. At least 5 MiB (S3's minimum part size). Default 16 MiB.
   */
  partSize?: number;
  /** Parts uploaded in parallel, per put. Default 4. */
  queueSize?: number;
  /**
   * Create objects with `If-None-Match: *`, so an existing blob is never overwritten, even by a
   * racing writer. Default `true`; set `false` only for servers that reject the header.
   */
  conditionalWrites?: boolean;
  /** Hash every blob while `get` streams it and fail the stream on a mismatch. Default `true`. */
  verifyReads?: boolean;
  /**
   * Where a stream of unknown digest that is longer than one part is spooled to learn its digest
   * before its upload starts (declare `digest` to avoid it). Default: `os.tmpdir()`.
   */
  spoolDir?: string;
}

/**
 * A {@link BlobStore} on S3, with a listing for garbage collection.
 *
 * @example
 * ```ts
 * const blobs: S3BlobStore = s3BlobStore({ client, bucket: 'acme-railyard' });
 * await blobs.check(); // fail fast at start-up on a missing bucket or wrong credentials
 * for await (const { digest, size } of blobs.list()) if (!referenced.has(digest)) await blobs.delete(digest);
 * ```
 */
export interface S3BlobStore extends BlobStore {
  /** The bucket the store writes to. */
  readonly bucket: string;
  /** The normalised key prefix (`''` when none). */
  readonly prefix: string;
  /** The object key of a blob, `<prefix>/sha256/<ab>/<hex>`. */
  keyOf(digest: string): string;
  /** Every blob under the prefix, in key order, with its stored size (for garbage collection). */
  list(): AsyncIterable<BlobInfo>;
  /** Checks that the bucket exists and can be listed; every method does this once by itself. */
  check(): Promise<void>;
}

/**
 * A content-addressed blob store in an S3 bucket: each blob is the object
 * `<prefix>/sha256/<first two hex digits>/<hex>`. `put` hashes while it streams, uploads small
 * blobs with one PutObject and large ones as a multipart upload that is completed only once the
 * digest and size are checked, creates objects with `If-None-Match: *`, skips blobs already
 * stored, and checks the stored size afterwards. `get` verifies the digest while it streams.
 * Failures are `AdapterError`s, `retryable` for throttling, timeouts, 5xx and network errors.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { createRailyard, fileStateStore } from '@railyard/core';
 * import { s3BlobStore } from '@railyard/adapter-s3';
 *
 * const client = new S3Client({ region: 'eu-west-1', requestChecksumCalculation: 'WHEN_REQUIRED' });
 * const blobs = s3BlobStore({ client, bucket: 'acme-railyard', prefix: 'production' });
 * const railyard = createRailyard({ store: await fileStateStore({ dir: './state' }), blobs });
 * ```
 */
export function s3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  const ctx = contextOf(options);
  const keyOf = (digest: string) => s3BlobKey(digest, ctx.base);
  let checked: Promise<void> | undefined;
  const check = () => {
    checked ??= listPage(ctx, undefined, 1).then(
      () => undefined,
      (error: unknown) => {
        checked = undefined; // look again next time: the bucket may be created, the network back
        throw error;
      },
    );
    return checked;
  };

  return {
    bucket: ctx.bucket,
    prefix: ctx.base,
    keyOf,
    check,
    async put(source, putOptions = {}) {
      checkPutOptions(putOptions);
      await check();
      return putBlob(ctx, source, putOptions);
    },
    async get(digest) {
      keyOf(digest);
      await check();
      return readBlob(ctx, digest, ctx.verifyReads);
    },
    async has(digest) {
      const key = keyOf(digest);
      await check();
      return (await headSize(ctx, key)) !== null;
    },
    async stat(digest) {
      const key = keyOf(digest);
      await check();
      const size = await headSize(ctx, key);
      return size === null ? null : { digest, size };
    },
    async delete(digest) {
      const key = keyOf(digest);
      await check();
      await deleteObject(ctx, key);
    },
    async *list() {
      await check();
      let token: string | undefined;
      do {
        const page = await listPage(ctx, token);
        for (const object of page.Contents ?? []) {
          const digest = object.Key === undefined ? null : digestOfKey(object.Key, ctx.base);
          if (digest !== null) yield { digest, size: object.Size ?? 0 };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
  };
}

function contextOf(options: S3BlobStoreOptions): StoreContext {
  if (!options?.client || typeof options.client.send !== 'function') {
    throw new ValidationError('s3BlobStore needs { client }: an S3Client from @aws-sdk/client-s3.');
  }
  if (typeof options.bucket !== 'string' || options.bucket === '') {
    throw new ValidationError('s3BlobStore needs { bucket }: the name of an existing bucket.');
  }
  const partSize = options.partSize ?? 16 * 1024 * 1024;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE) {
    throw new ValidationError(
      `s3BlobStore: partSize ${partSize} must be an integer of at least ${MIN_PART_SIZE} (5 MiB).`,
    );
  }
  const queueSize = options.queueSize ?? 4;
  if (!Number.isSafeInteger(queueSize) || queueSize < 1) {
    throw new ValidationError(`s3BlobStore: queueSize ${queueSize} must be a positive integer.`);
  }
  return {
    client: options.client,
    bucket: options.bucket,
    base: normalisePrefix(options.prefix),
    partSize,
    queueSize,
    conditionalWrites: options.conditionalWrites ?? true,
    verifyReads: options.verifyReads ?? true,
    spoolDir: options.spoolDir ?? tmpdir(),
    turns: new Map(),
  };
}
