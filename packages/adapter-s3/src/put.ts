import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { type BlobInfo, type BlobSource, digestStream, type PutOptions } from '@railyard/core/adapters';
import { checkPutOptions, s3BlobKey } from './keys.js';
import { headObject, type StoreContext } from './s3-calls.js';
import { existingMismatch, uploadBlob } from './upload.js';

const READ_CHUNK = 1024 * 1024;
const SPOOL_BUFFER = 4 * 1024 * 1024;

/**
 * Stores a blob. A blob whose digest is known (declared, or computed from an in-memory buffer)
 * goes straight to its key, after a HEAD: when the key already holds it, the source is only read
 * locally to check the declaration, and nothing is sent. A stream of unknown digest is read up to
 * one part: a short one is then hashed in memory; a longer one is spooled to a temp file to learn
 * its digest first, because an object's key must be known before its upload starts.
 * @internal
 *
 * @example
 * ```ts
 * const info = await putBlob(ctx, createReadStream('model.onnx'), { size: 1234 });
 * ```
 */
export async function putBlob(ctx: StoreContext, source: BlobSource, options: PutOptions): Promise<BlobInfo> {
  checkPutOptions(options);
  if (options.digest !== undefined) return putKnown(ctx, source, { ...options, digest: options.digest });
  if (source instanceof Uint8Array) return putKnown(ctx, source, { ...options, digest: sha256(source) });
  const peeked = await peek(source, ctx.partSize);
  if (peeked.rest === null) {
    const bytes = Buffer.concat(peeked.chunks);
    return putKnown(ctx, bytes, { ...options, digest: sha256(bytes) });
  }
  return spoolAndPut(ctx, peeked, options);
}

/**
 * Puts of one digest through one store take turns: on a server that ignores `If-None-Match` and
 * writes objects in place (s3rver), a second upload would overwrite the first while the first
 * checks what was stored. After its turn, a put finds the blob and sends nothing.
 */
async function putKnown(
  ctx: StoreContext,
  source: BlobSource,
  options: PutOptions & { digest: string },
): Promise<BlobInfo> {
  const key = s3BlobKey(options.digest, ctx.base);
  const previous = ctx.turns.get(key);
  const mine = (previous ?? Promise.resolve()).then(() => putAt(ctx, key, source, options));
  const done = mine.then(
    () => undefined,
    () => undefined,
  );
  ctx.turns.set(key, done);
  try {
    return await mine;
  } finally {
    if (ctx.turns.get(key) === done) ctx.turns.delete(key);
  }
}

async function putAt(
  ctx: StoreContext,
  key: string,
  source: BlobSource,
  options: PutOptions & { digest: string },
): Promise<BlobInfo> {
  const stored = await headObject(ctx, key);
  if (stored === null) return uploadBlob(ctx, key, source, options);
  // An object whose recorded digest is not the blob's (changed outside Railyard, or stored before
  // digests were recorded) is repaired: the caller's bytes, checked while streaming, replace it.
  if (stored.sha256 !== options.digest.slice('sha256:'.length)) return uploadBlob(ctx, key, source, options, true);
  // Already stored: check the caller's bytes against what they declared, send nothing.
  const info = await digestStream(source, options, () => undefined);
  if (stored.size !== info.size) throw existingMismatch(ctx, key, info, stored.size);
  return info;
}

interface Peeked {
  chunks: Uint8Array[];
  /** The rest of the source, or `null` when it ended within the limit. */
  rest: AsyncIterator<Uint8Array> | null;
}

async function peek(source: AsyncIterable<Uint8Array>, limit: number): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= limit) {
    const next = await iterator.next();
    if (next.done) return { chunks, rest: null };
    chunks.push(Buffer.from(next.value));
    size += next.value.byteLength;
  }
  return { chunks, rest: iterator };
}

async function* resume(peeked: Peeked): AsyncGenerator<Uint8Array> {
  yield* peeked.chunks;
  const rest = peeked.rest;
  if (rest === null) return;
  let ended = false;
  try {
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
    ended = true;
  } finally {
    if (!ended) await rest.return?.();
  }
}

async function spoolAndPut(ctx: StoreContext, peeked: Peeked, options: PutOptions): Promise<BlobInfo> {
  const dir = await mkdtemp(join(ctx.spoolDir, 'railyard-s3-'));
  try {
    const path = join(dir, 'blob');
    const file = createWriteStream(path, { highWaterMark: SPOOL_BUFFER });
    file.on('error', () => undefined); // surfaced by `finished` below
    let info: BlobInfo;
    try {
      info = await digestStream(resume(peeked), options, async (chunk) => {
        if (!file.write(chunk)) await once(file, 'drain');
      });
      file.end();
      await finished(file);
    } catch (error) {
      file.destroy();
      await finished(file).catch(() => undefined);
      throw error;
    }
    return await putKnown(ctx, createReadStream(path, { highWaterMark: READ_CHUNK }), info);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
