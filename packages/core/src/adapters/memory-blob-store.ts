import type { BlobStore } from '../contracts/blob-store.js';
import { checkDigest } from './blob-digest.js';
import { digestStream } from './digest-stream.js';

/**
 * A blob store in process memory. Blobs are verified while they stream in, like every store's.
 *
 * @example
 * ```ts
 * const blobs = memoryBlobStore();
 * const { digest } = await blobs.put(Buffer.from('hello'));
 * ```
 */
export function memoryBlobStore(): BlobStore & {
  /** The stored bytes by digest, for probes and debugging. */
  readonly blobs: Map<string, Uint8Array>;
} {
  const blobs = new Map<string, Uint8Array>();
  return {
    blobs,
    async put(source, options = {}) {
      const parts: Uint8Array[] = [];
      const info = await digestStream(source, options, (chunk) => {
        parts.push(Uint8Array.from(chunk));
      });
      if (!blobs.has(info.digest)) blobs.set(info.digest, Buffer.concat(parts));
      return info;
    },
    async get(digest) {
      checkDigest(digest);
      const bytes = blobs.get(digest);
      if (!bytes) return null;
      return (async function* () {
        yield Uint8Array.from(bytes);
      })();
    },
    async has(digest) {
      checkDigest(digest);
      return blobs.has(digest);
    },
    async stat(digest) {
      checkDigest(digest);
      const bytes = blobs.get(digest);
      return bytes ? { digest, size: bytes.byteLength } : null;
    },
    async delete(digest) {
      checkDigest(digest);
      blobs.delete(digest);
    },
  };
}
