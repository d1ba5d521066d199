import { ValidationError } from '../errors/errors.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/**
 * Checks a blob digest named by a caller and returns its hex part. Blob stores key files and
 * objects by digest, so anything but `sha256:<64 lower-case hex>` is refused (a `ValidationError`)
 * before it can become a path or an object key. Call it first in every `BlobStore` method that
 * takes a digest.
 *
 * @example
 * ```ts
 * import { checkDigest } from '@railyard/core/adapters';
 *
 * const hex = checkDigest('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
 * const key = `blobs/${hex.slice(0, 2)}/${hex}`;
 * ```
 */
export function checkDigest(digest: string): string {
  const match = typeof digest === 'string' ? DIGEST.exec(digest) : null;
  if (!match?.[1]) {
    throw new ValidationError(
      `blob digest "${String(digest)}" is not of the form "sha256:<64 lower-case hex digits>"; pass the digest a put returned.`,
    );
  }
  return match[1];
}
