import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { BlobIntegrityError } from '@railyard/core/errors';
import { isNotFound, s3Error } from './classify-error.js';
import { s3BlobKey } from './keys.js';
import type { StoreContext } from './s3-calls.js';

/**
 * Opens a blob for reading, or returns `null` when its key holds no object. With `verify`, the
 * bytes are hashed as they stream and a digest that differs from the key's makes the iteration
 * throw `BlobIntegrityError` after the last chunk, so a consumer that only acts on a completed
 * iteration never acts on altered bytes.
 * @internal
 *
 * @example
 * ```ts
 * const bytes = await readBlob(ctx, digest, true);
 * for await (const chunk of bytes ?? []) hash.update(chunk);
 * ```
 */
export async function readBlob(
  ctx: StoreContext,
  digest: string,
  verify: boolean,
): Promise<AsyncIterable<Uint8Array> | null> {
  const key = s3BlobKey(digest, ctx.base);
  let body: unknown;
  try {
    const out = await ctx.client.send(new GetObjectCommand({ Bucket: ctx.bucket, Key: key }));
    body = out.Body;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw s3Error(error, { operation: 'GetObject', bucket: ctx.bucket, key });
  }
  if (body === undefined || body === null) return stream(ctx, key, digest, empty(), verify);
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
    throw s3Error(new TypeError('the GetObject body is not an async iterable (use the Node.js build of the SDK)'), {
      operation: 'GetObject',
      bucket: ctx.bucket,
      key,
    });
  }
  return stream(ctx, key, digest, body as AsyncIterable<Uint8Array>, verify);
}

async function* stream(
  ctx: StoreContext,
  key: string,
  digest: string,
  body: AsyncIterable<Uint8Array>,
  verify: boolean,
): AsyncGenerator<Uint8Array> {
  const hash = verify ? createHash('sha256') : undefined;
  let size = 0;
  const iterator = body[Symbol.asyncIterator]();
  let ended = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw s3Error(error, { operation: 'GetObject', bucket: ctx.bucket, key });
      }
      if (next.done) break;
      hash?.update(next.value);
      size += next.value.byteLength;
      yield next.value;
    }
    ended = true;
  } finally {
    // Stopping early (a `break` in the consumer) closes the HTTP response.
    if (!ended) await iterator.return?.();
  }
  if (!hash) return;
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== digest) {
    throw new BlobIntegrityError(
      { expected: digest, actual, size, bucket: ctx.bucket, key },
      `Blob ${digest} read from s3://${ctx.bucket}/${key} has digest ${actual} (${size} bytes): the object was changed outside Railyard. Discard the bytes read; delete the object and put the original blob again.`,
    );
  }
}

async function* empty(): AsyncGenerator<Uint8Array> {}
