import * as z from 'zod';
import { Timestamp } from './primitives.js';

/**
 * A journal checkpoint signed with the host's ed25519 key, as a `CheckpointSink` (from `@railyard/core/adapters`) keeps it:
 * the journal's head (`seq`, `hash`) and the hash of every entry from `from` to `seq`, so that a
 * verifier can name the first entry a rewritten store disagrees on.
 *
 * @example
 * ```ts
 * const checkpoint: SignedCheckpoint = await railyard.journal.checkpoint();
 * console.log(checkpoint.seq, checkpoint.hash, checkpoint.signature);
 * ```
 */
export interface SignedCheckpoint {
  /** Format of this record; always 1. */
  format: 1;
  /** Sequence number of the journal's last entry when the checkpoint was taken. */
  seq: number;
  /** Hash of that entry. */
  hash: string;
  /** Sequence number of the first entry in `hashes`. */
  from: number;
  /** Hashes of entries `from` … `seq`, in order (the last one is `hash`). */
  hashes: string[];
  /** When the checkpoint was taken (ISO 8601, from the engine's clock). */
  at: string;
  /** Names the key that signed it (free text; default `journal`). */
  keyId: string;
  /** Always `ed25519`. */
  algorithm: 'ed25519';
  /** Base64 ed25519 signature over the canonical JSON of every other field. */
  signature: string;
}

const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/** Checks a checkpoint read back from a sink. @internal */
export const SignedCheckpoint = z
  .object({
    format: z.literal(1),
    seq: z.number().int().positive(),
    hash: Hash,
    from: z.number().int().positive(),
    hashes: z.array(Hash).min(1),
    at: Timestamp,
    keyId: z.string().min(1).max(200),
    algorithm: z.literal('ed25519'),
    signature: z.string().min(1),
  })
  .strict()
  .refine((cp) => cp.hashes.length === cp.seq - cp.from + 1 && cp.hashes.at(-1) === cp.hash, {
    message: 'hashes must hold one hash per entry from `from` to `seq`, ending with `hash`',
  }) satisfies z.ZodType<SignedCheckpoint>;
