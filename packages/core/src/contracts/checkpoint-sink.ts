import type { SignedCheckpoint } from '../model/checkpoint.js';

/**
 * Where signed journal checkpoints go: somewhere outside the state store, that whoever can write
 * the store cannot rewrite (another machine, a write-once bucket, an audit service). The engine
 * puts one on a schedule; `journal.verify()` reads them back (when the sink can list) and checks
 * the store against them.
 *
 * - `put` stores a checkpoint. Putting a checkpoint for a `seq` already kept must not replace the
 *   kept one (several workers may export the same head); it may succeed or be ignored.
 * - `list` (optional) yields every kept checkpoint, in ascending `seq`. A sink without it is
 *   write-only: checkpoints are verified where they are kept.
 * - `latest` (optional) returns the kept checkpoint with the highest `seq`, or `null`. Without it,
 *   the first checkpoint an engine exports after it starts covers only the journal's head.
 *
 * @example
 * ```ts
 * const kept: SignedCheckpoint[] = [];
 * const sink: CheckpointSink = {
 *   async put(checkpoint) { if (!kept.some((c) => c.seq === checkpoint.seq)) kept.push(checkpoint); },
 *   async *list() { yield* [...kept].sort((a, b) => a.seq - b.seq); },
 *   async latest() { return kept.reduce<SignedCheckpoint | null>((a, c) => (a && a.seq > c.seq ? a : c), null); },
 * };
 * ```
 */
export interface CheckpointSink {
  /** Keeps a checkpoint; one already kept for its `seq` is not replaced. */
  put(checkpoint: SignedCheckpoint): Promise<void>;
  /** Every kept checkpoint, ascending `seq`, as stored (the core validates them). */
  list?(): AsyncIterable<SignedCheckpoint>;
  /** The kept checkpoint with the highest `seq`, or `null` when none is kept. */
  latest?(): Promise<SignedCheckpoint | null>;
}
