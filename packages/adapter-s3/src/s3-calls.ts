import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isNotFound, s3Error } from './classify-error.js';

/**
 * What every part of the store shares.
 * @internal
 *
 * @example
 * ```ts
 * const size = await headSize(ctx, s3BlobKey(digest, ctx.base));
 * ```
 */
export interface StoreContext {
  client: S3Client;
  bucket: string;
  /** The normalised prefix (`''` or `a/b`), without a trailing slash. */
  base: string;
  partSize: number;
  queueSize: number;
  conditionalWrites: boolean;
  verifyReads: boolean;
  spoolDir: string;
  /** The put in progress for each key, so that puts of one blob through one store take turns. */
  turns: Map<string, Promise<void>>;
}

/**
 * Sends one S3 call and turns its failure into a classified Railyard error.
 * @internal
 *
 * @example
 * ```ts
 * const out = await call(ctx, 'HeadObject', key, () => ctx.client.send(new HeadObjectCommand({ Bucket, Key: key })));
 * ```
 */
export async function call<T>(
  ctx: StoreContext,
  operation: string,
  key: string | undefined,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw s3Error(error, { operation, bucket: ctx.bucket, ...(key === undefined ? {} : { key }) });
  }
}

/** The user-metadata key under which a blob's sha256 (hex) is stored with its object. @internal */
export const DIGEST_METADATA = 'railyard-sha256';

/**
 * The stored size of an object and the sha256 it was uploaded with (from its metadata; absent for
 * objects written outside Railyard or before it recorded digests), or `null` when there is none.
 * @internal
 *
 * @example
 * ```ts
 * const head = await headObject(ctx, key); // { size, sha256 } or null
 * ```
 */
export async function headObject(
  ctx: StoreContext,
  key: string,
): Promise<{ size: number; sha256: string | undefined } | null> {
  try {
    const head = await ctx.client.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: key }));
    return { size: head.ContentLength ?? 0, sha256: head.Metadata?.[DIGEST_METADATA] };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw s3Error(error, { operation: 'HeadObject', bucket: ctx.bucket, key });
  }
}

/**
 * The stored size of an object, or `null` when there is none.
 * @internal
 *
 * @example
 * ```ts
 * const size = await headSize(ctx, key); // null when absent
 * ```
 */
export async function headSize(ctx: StoreContext, key: string): Promise<number | null> {
  return (await headObject(ctx, key))?.size ?? null;
}

/**
 * Deletes an object; deleting an absent one is not an error (S3 answers 204 either way).
 * @internal
 *
 * @example
 * ```ts
 * await deleteObject(ctx, key);
 * ```
 */
export async function deleteObject(ctx: StoreContext, key: string): Promise<void> {
  await call(ctx, 'DeleteObject', key, () =>
    ctx.client.send(new DeleteObjectCommand({ Bucket: ctx.bucket, Key: key })),
  );
}

/**
 * One page of the blob keys under the store's prefix.
 * @internal
 *
 * @example
 * ```ts
 * const page = await listPage(ctx, undefined, 1);
 * ```
 */
export function listPage(
  ctx: StoreContext,
  continuationToken: string | undefined,
  maxKeys?: number,
): Promise<ListObjectsV2CommandOutput> {
  const prefix = `${ctx.base === '' ? '' : `${ctx.base}/`}sha256/`;
  return call(ctx, 'ListObjectsV2', prefix, () =>
    ctx.client.send(
      new ListObjectsV2Command({
        Bucket: ctx.bucket,
        Prefix: prefix,
        ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
        ...(maxKeys === undefined ? {} : { MaxKeys: maxKeys }),
      }),
    ),
  );
}
