import type { BlobSource } from '../contracts/blob-store.js';
import type { PushProgress } from '../contracts/progress.js';

/**
 * Wraps the bytes a transport pushes so that `onProgress` hears how many have been sent: once per
 * chunk, never going down, and once more at the end with `bytesDone === bytesTotal` when the whole
 * source was read. For transport authors who offer an `onProgress` option; an exception thrown by
 * the callback is ignored.
 *
 * @example
 * ```ts
 * pushBlob: (blob, source) => send(blob, pushProgress(blob, source, options.onProgress)),
 * ```
 */
export function pushProgress(
  blob: { digest: string; size: number },
  source: BlobSource,
  onProgress: ((progress: PushProgress) => void) | undefined,
): BlobSource {
  if (!onProgress) return source;
  const report = (bytesDone: number) => {
    try {
      onProgress({ digest: blob.digest, bytesDone: Math.min(bytesDone, blob.size), bytesTotal: blob.size });
    } catch {
      // A progress display must never break the push it displays.
    }
  };
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = source instanceof Uint8Array ? [source] : source;
  return (async function* counted() {
    let sent = 0;
    report(0);
    for await (const chunk of chunks) {
      sent += chunk.byteLength;
      yield chunk;
      report(sent);
    }
  })();
}
