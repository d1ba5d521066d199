/**
 * How far a long piece of work is: files and bytes done out of their totals. Reported by
 * `bundles.build`, `bundles.export` and `bundles.import` through their `onProgress` option; each
 * report has `done` values that never go down, and the last one has `done` equal to `total`.
 *
 * @example
 * ```ts
 * const onProgress = (progress: Progress) =>
 *   console.log(`${progress.filesDone}/${progress.filesTotal} files, ${progress.bytesDone}/${progress.bytesTotal} bytes`);
 * await railyard.bundles.build({ dir: './churn', version: '1.4.0', createdBy: designer, onProgress });
 * ```
 */
export interface Progress {
  /** Files (or blobs) finished so far. */
  filesDone: number;
  /** Files (or blobs) the work covers. */
  filesTotal: number;
  /** Bytes read or written so far. */
  bytesDone: number;
  /** Bytes the work covers. */
  bytesTotal: number;
}

/**
 * A callback that receives {@link Progress} reports. It is called synchronously on the hot path:
 * keep it cheap (throttle drawing yourself); an exception it throws is ignored.
 *
 * @example
 * ```ts
 * const onProgress: OnProgress = ({ bytesDone, bytesTotal }) => bar.update(bytesDone, { total: bytesTotal });
 * ```
 */
export type OnProgress = (progress: Progress) => void;

/**
 * How far one blob push to another site is: a transport reports it while the blob's bytes stream
 * out. `bytesDone` never goes down and the last report of a blob has `bytesDone === bytesTotal`.
 *
 * @example
 * ```ts
 * const transport = memoryTransport(production, {
 *   onProgress: ({ digest, bytesDone, bytesTotal }) => console.log(digest, bytesDone, '/', bytesTotal),
 * });
 * ```
 */
export interface PushProgress {
  /** The blob being pushed. */
  digest: string;
  /** Bytes of this blob sent so far. */
  bytesDone: number;
  /** The blob's size. */
  bytesTotal: number;
}
