import { createHash } from 'node:crypto';
import type { BlobInfo, BlobSource, PutOptions } from '../contracts/blob-store.js';
import { BlobIntegrityError, ValidationError } from '../errors/errors.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Checks declared put options before any byte is read.
 * @internal
 */
export function checkPutOptions(options: PutOptions): void {
  if (options.digest !== undefined && !DIGEST.test(options.digest)) {
    throw new ValidationError(`put: digest "${options.digest}" is not of the form "sha256:<64 hex digits>".`);
  }
  if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
    throw new ValidationError(`put: size ${options.size} is not a non-negative integer.`);
  }
}

/**
 * Feeds every chunk of `source` to `sink` while hashing it, stopping as soon as the declared size
 * is exceeded, then checks digest and size. Throws `BlobIntegrityError` on a mismatch; the caller
 * discards whatever the sink received.
 *
 * @example
 * ```ts
 * const { digest, size } = await digestStream(source, { size: 5 }, (chunk) => parts.push(chunk));
 * ```
 */
export async function digestStream(
  source: BlobSource,
  options: PutOptions,
  sink: (chunk: Uint8Array) => void | Promise<void>,
): Promise<BlobInfo> {
  checkPutOptions(options);
  const hash = createHash('sha256');
  let size = 0;
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = source instanceof Uint8Array ? [source] : source;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (options.size !== undefined && size > options.size) {
      throw new BlobIntegrityError(
        { expectedSize: options.size, receivedAtLeast: size },
        `Blob is longer than its declared ${options.size} bytes; nothing was stored.`,
      );
    }
    hash.update(chunk);
    await sink(chunk);
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (options.size !== undefined && size !== options.size) {
    throw new BlobIntegrityError(
      { expectedSize: options.size, actualSize: size },
      `Blob has ${size} bytes but ${options.size} were declared; nothing was stored.`,
    );
  }
  if (options.digest !== undefined && digest !== options.digest) {
    throw new BlobIntegrityError(
      { expected: options.digest, actual: digest },
      `Blob digest is ${digest} but ${options.digest} was declared; nothing was stored.`,
    );
  }
  return { digest, size };
}
