import type { BlobSource } from '../contracts/blob-store.js';
import type { OnProgress, Progress } from '../contracts/progress.js';

/**
 * Counts files and bytes against known totals and reports them to an optional callback. Reports
 * never go backwards, and `finish` reports the totals once (so a caller always sees the end).
 * @internal
 *
 * @example
 * ```ts
 * const tracker = new ProgressTracker({ filesTotal: 2, bytesTotal: 10 }, onProgress);
 * for await (const chunk of tracker.count(source)) write(chunk);
 * tracker.fileDone();
 * ```
 */
export class ProgressTracker {
  private readonly progress: Progress;

  constructor(
    totals: { filesTotal: number; bytesTotal: number },
    private readonly onProgress: OnProgress | undefined,
  ) {
    this.progress = { filesDone: 0, bytesDone: 0, ...totals };
  }

  /** Adds bytes done (capped at the total, so a report never exceeds it). */
  bytes(count: number): void {
    if (count <= 0) return;
    this.progress.bytesDone = Math.min(this.progress.bytesTotal, this.progress.bytesDone + count);
    this.report();
  }

  /** Marks one file done. */
  fileDone(): void {
    this.progress.filesDone = Math.min(this.progress.filesTotal, this.progress.filesDone + 1);
    this.report();
  }

  /** The bytes of `source`, counted as they pass. */
  async *count(source: BlobSource): AsyncIterable<Uint8Array> {
    if (source instanceof Uint8Array) {
      this.bytes(source.byteLength);
      yield source;
      return;
    }
    for await (const chunk of source) {
      this.bytes(chunk.byteLength);
      yield chunk;
    }
  }

  /** Reports the totals as done. */
  finish(): void {
    this.progress.filesDone = this.progress.filesTotal;
    this.progress.bytesDone = this.progress.bytesTotal;
    this.report();
  }

  private report(): void {
    if (!this.onProgress) return;
    try {
      this.onProgress({ ...this.progress });
    } catch {
      // A progress display must never break the work it displays.
    }
  }
}
