import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { Upload } from '@aws-sdk/lib-storage';
import { type BlobInfo, type BlobSource, digestStream, type PutOptions } from '@railyard/core/adapters';
import { AdapterError, BlobIntegrityError } from '@railyard/core/errors';
import { isConditionalConflict, s3Error } from './classify-error.js';
import { DIGEST_METADATA, deleteObject, headSize, type StoreContext } from './s3-calls.js';

/** Bytes buffered between the hashing reader and the uploader. */
const BODY_BUFFER = 1024 * 1024;
const NONE: unique symbol = Symbol('none');

/**
 * Streams `source` to `key` while hashing it, and makes the object visible only when the bytes
 * match what was declared: lib-storage sends the single PutObject or the CompleteMultipartUpload
 * only after the body ends, and the body ends only after `digestStream` has checked digest and
 * size. On a mismatch or a failing source the body errors instead, so the upload is aborted and
 * the source's error (or the `BlobIntegrityError`) is thrown. An S3 failure is returned as
 * `failure` (`NONE` when there was none) for the caller to classify.
 */
async function send(
  ctx: StoreContext,
  key: string,
  source: BlobSource,
  options: PutOptions,
  replace: boolean,
): Promise<{ info: BlobInfo | undefined; failure: unknown }> {
  const body = new PassThrough({ highWaterMark: BODY_BUFFER });
  body.on('error', () => undefined); // reported through the promises below
  const stop = new AbortController();
  const upload = new Upload({
    client: ctx.client,
    partSize: ctx.partSize,
    queueSize: ctx.queueSize,
    params: {
      Bucket: ctx.bucket,
      Key: key,
      Body: body,
      ContentType: 'application/octet-stream',
      // The digest travels with the object, so a later put compares digests, not sizes.
      ...(options.digest === undefined
        ? {}
        : { Metadata: { [DIGEST_METADATA]: options.digest.slice('sha256:'.length) } }),
      ...(ctx.conditionalWrites && !replace ? { IfNoneMatch: '*' } : {}),
    },
  });
  let failure: unknown = NONE;
  const uploading = upload.done().then(
    () => undefined,
    (error: unknown) => {
      failure = error;
      stop.abort();
    },
  );
  let sourceError: unknown = NONE;
  let info: BlobInfo | undefined;
  try {
    info = await digestStream(source, options, async (chunk) => {
      stop.signal.throwIfAborted();
      // A copy: lib-storage keeps chunks until a part is full, and a source may reuse its buffers.
      if (!body.write(Buffer.from(chunk))) await once(body, 'drain', { signal: stop.signal });
    });
    body.end();
  } catch (error) {
    // Unless the upload failed first (and stopped the feeding), the source or its digest failed.
    if (failure === NONE) sourceError = error;
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  }
  await uploading;
  if (sourceError !== NONE) throw sourceError;
  return { info, failure };
}

/**
 * Uploads a blob to its key and checks what the server kept: an object whose stored size differs
 * from the bytes sent (an S3-compatible server keeping `aws-chunked` framing, a proxy rewriting
 * bodies) is deleted and refused with `BlobIntegrityError`, so it is never recorded. With
 * `replace`, the upload overwrites a damaged object at the key (no `If-None-Match`): the bytes
 * sent are checked against their digest while streaming, so only the right bytes replace it.
 * @internal
 *
 * @example
 * ```ts
 * const info = await uploadBlob(ctx, key, source, { digest, size });
 * ```
 */
export async function uploadBlob(
  ctx: StoreContext,
  key: string,
  source: BlobSource,
  options: PutOptions,
  replace = false,
): Promise<BlobInfo> {
  const { info, failure } = await send(ctx, key, source, options, replace);
  // A conditional write that lost to an existing object (or to a racing upload of the same
  // digest) comes after the whole body was read and checked, so `info` is known.
  const lost = failure !== NONE && info !== undefined && isConditionalConflict(failure);
  if (failure !== NONE && !lost) throw s3Error(failure, { operation: 'Upload', bucket: ctx.bucket, key });
  if (info === undefined) throw new Error('uploadBlob: the upload ended without a digest'); // unreachable
  const stored = await headSize(ctx, key);
  if (stored === info.size) return info;
  if (lost) throw existingMismatch(ctx, key, info, stored);
  if (stored === null) {
    throw new AdapterError(
      `S3 accepted s3://${ctx.bucket}/${key} but a HEAD right after does not find it; the server may not be read-after-write consistent. Retry the put.`,
      { retryable: true, details: { bucket: ctx.bucket, key } },
    );
  }
  const removed = await deleteObject(ctx, key).then(
    () => true,
    () => false,
  );
  throw new BlobIntegrityError(
    { digest: info.digest, size: info.size, storedSize: stored, bucket: ctx.bucket, key, removed },
    `The S3 server stored ${stored} bytes at s3://${ctx.bucket}/${key} for blob ${info.digest} of ${info.size} bytes, so the object ${removed ? 'was removed' : 'could not be removed: delete it by hand'} and the put refused. S3-compatible servers that keep aws-chunked framing do this: create the S3Client with requestChecksumCalculation: 'WHEN_REQUIRED' and responseChecksumValidation: 'WHEN_REQUIRED' (docs/s3.md).`,
  );
}

/**
 * The error for an object already under a blob's key whose size is not the blob's: it was written
 * or changed outside Railyard, and the store never overwrites an existing key.
 * @internal
 *
 * @example
 * ```ts
 * throw existingMismatch(ctx, key, { digest, size: 42 }, 45);
 * ```
 */
export function existingMismatch(ctx: StoreContext, key: string, info: BlobInfo, stored: number | null): AdapterError {
  return new AdapterError(
    `s3://${ctx.bucket}/${key} already holds ${stored ?? 'no'} bytes, but blob ${info.digest} has ${info.size}: the object was changed outside Railyard. Delete it (blobs.delete) and put the blob again.`,
    {
      retryable: false,
      details: { bucket: ctx.bucket, key, digest: info.digest, size: info.size, storedSize: stored },
    },
  );
}
