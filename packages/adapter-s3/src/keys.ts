import { checkDigest, type PutOptions } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';

const BLOB_KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/**
 * Checks a digest named by a caller and returns its hex part (core's `checkDigest`). Digests
 * become object keys, so anything but `sha256:<64 lower-case hex>` is refused before S3 is called.
 * @internal
 *
 * @example
 * ```ts
 * const hex = hexOf('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
 * ```
 */
export const hexOf: (digest: string) => string = checkDigest;

/**
 * Checks what a writer declares before any byte is read or any request is sent.
 * @internal
 *
 * @example
 * ```ts
 * checkPutOptions({ digest: 'sha256:…', size: 42 });
 * ```
 */
export function checkPutOptions(options: PutOptions): void {
  if (options.digest !== undefined) hexOf(options.digest);
  if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
    throw new ValidationError(`put: size ${options.size} is not a non-negative integer.`);
  }
}

/**
 * Normalises a key prefix: no leading or trailing slash; `''` for none. The store's keys start
 * with the result followed by `/`.
 * @internal
 *
 * @example
 * ```ts
 * normalisePrefix('/railyard/prod/'); // 'railyard/prod'
 * ```
 */
export function normalisePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return '';
  if (typeof prefix !== 'string') throw new ValidationError('s3BlobStore: prefix must be a string.');
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  if (trimmed.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new ValidationError(
      `s3BlobStore: prefix "${prefix}" has an empty, "." or ".." segment; use plain segments such as "railyard/production".`,
    );
  }
  return trimmed;
}

/**
 * The object key of a blob: `<prefix>/sha256/<first two hex digits>/<64 hex digits>`. Use it to
 * scope IAM policies, lifecycle rules or object-lock settings to the blobs of a store.
 *
 * @example
 * ```ts
 * s3BlobKey('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', 'railyard');
 * // 'railyard/sha256/2c/2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
 * ```
 */
export function s3BlobKey(digest: string, prefix?: string): string {
  const hex = hexOf(digest);
  const base = normalisePrefix(prefix);
  return `${base === '' ? '' : `${base}/`}sha256/${hex.slice(0, 2)}/${hex}`;
}

/**
 * The digest a key holds, or `null` for keys that are not blobs of this layout (other objects
 * under the prefix are ignored by listings, never deleted).
 * @internal
 *
 * @example
 * ```ts
 * digestOfKey('railyard/sha256/2c/2cf2…9824', 'railyard'); // 'sha256:2cf2…9824'
 * ```
 */
export function digestOfKey(key: string, base: string): string | null {
  const rest = base === '' ? key : key.startsWith(`${base}/`) ? key.slice(base.length + 1) : null;
  const match = rest === null ? null : BLOB_KEY.exec(rest);
  const hex = match?.[2];
  if (hex === undefined || hex.slice(0, 2) !== match?.[1]) return null;
  return `sha256:${hex}`;
}
