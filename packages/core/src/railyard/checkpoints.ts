import type { PrivateKeyInput, PublicKeyInput } from '../bundle/signatures.js';
import type { CheckpointSink } from '../contracts/checkpoint-sink.js';
import type { Clock } from '../contracts/clock.js';
import type { StateStore } from '../contracts/state-store.js';
import { ValidationError } from '../errors/errors.js';
import { checkSignedCheckpoint, signCheckpoint } from '../journal/signed-checkpoint.js';
import type { SignedCheckpoint } from '../model/checkpoint.js';

/**
 * Signed journal checkpoints, exported on a schedule to a sink outside the state store (the
 * `checkpoints` option of `createRailyard`).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = generateKeyPairSync('ed25519');
 * const railyard = createRailyard({
 *   store, blobs,
 *   checkpoints: { sink: directoryCheckpointSink({ dir: '/mnt/audit/railyard' }), privateKey, publicKey, everyMs: 15 * 60_000 },
 * });
 * ```
 */
export interface CheckpointOptions {
  /** Where checkpoints go: somewhere whoever can write the state store cannot rewrite. */
  sink: CheckpointSink;
  /** The ed25519 private key that signs checkpoints (a `KeyObject` or PEM). Keep it out of the store's reach. */
  privateKey: PrivateKeyInput;
  /** Its public key (a `KeyObject` or SPKI PEM): `journal.verify()` checks every checkpoint with it. */
  publicKey: PublicKeyInput;
  /** Names the key in each checkpoint (default `journal`). */
  keyId?: string;
  /** How often the worker exports a checkpoint, in ms on the engine's clock (default 15 minutes). */
  everyMs?: number;
}

/** Exports signed checkpoints of a store's journal. @internal */
export class CheckpointExporter {
  readonly sink: CheckpointSink;
  readonly publicKey: PublicKeyInput;
  readonly #privateKey: PrivateKeyInput;
  readonly #keyId: string;
  readonly #everyMs: number;
  /** Epoch ms at which the next export is due (the first is due at once). */
  #nextAt = Number.NEGATIVE_INFINITY;
  /** The last `seq` this engine knows is kept by the sink. */
  #covered: number | undefined;
  #running: Promise<SignedCheckpoint | null> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    options: CheckpointOptions,
  ) {
    const everyMs = options.everyMs ?? 15 * 60_000;
    if (!Number.isSafeInteger(everyMs) || everyMs < 1000) {
      throw new ValidationError(`checkpoints.everyMs must be an integer of at least 1,000 ms, got ${everyMs}.`);
    }
    const keyId = options.keyId ?? 'journal';
    // Fail at start-up, not at the first export: the two keys must be ed25519 and a pair.
    const probe = signCheckpoint({
      from: 1,
      hashes: ['0'.repeat(64)],
      at: new Date(0).toISOString(),
      keyId,
      privateKey: options.privateKey,
    });
    if (!checkSignedCheckpoint(probe, options.publicKey).ok) {
      throw new ValidationError(
        'checkpoints.publicKey is not the public key of checkpoints.privateKey: pass the two halves of one ed25519 key pair.',
      );
    }
    this.sink = options.sink;
    this.publicKey = options.publicKey;
    this.#privateKey = options.privateKey;
    this.#keyId = keyId;
    this.#everyMs = everyMs;
  }

  /** Exports when due; returns when the next export falls due (epoch ms). */
  async exportIfDue(): Promise<number> {
    const now = this.clock.now().getTime();
    if (now >= this.#nextAt) {
      this.#nextAt = now + this.#everyMs;
      try {
        await this.exportNow();
      } catch (error) {
        // Try again within a minute rather than a whole period later.
        this.#nextAt = now + Math.min(this.#everyMs, 60_000);
        throw error;
      }
    }
    return this.#nextAt;
  }

  /** When the next export falls due (epoch ms). */
  get nextAt(): number {
    return this.#nextAt;
  }

  /** Signs and puts a checkpoint of the journal's head now; `null` when there is nothing new. */
  exportNow(): Promise<SignedCheckpoint | null> {
    // One export at a time per engine: two racing would sign overlapping windows.
    const run = (this.#running ?? Promise.resolve(null)).catch(() => null).then(() => this.#export());
    this.#running = run;
    return run;
  }

  async #export(): Promise<SignedCheckpoint | null> {
    if (this.#covered === undefined && this.sink.latest) {
      const latest = await this.sink.latest();
      // An empty sink: the first checkpoint covers the whole journal.
      const checked = latest === null ? null : checkSignedCheckpoint(latest, this.publicKey);
      if (checked === null) this.#covered = 0;
      else if (checked.ok) this.#covered = checked.checkpoint.seq;
    }
    const head = await headOf(this.store);
    if (head === 0 || head === this.#covered) return null;
    // Cover every entry since the last checkpoint kept, so a verifier can name the first rewritten
    // one; without a known last checkpoint (or after a restore shortened the journal), the head only.
    const from = this.#covered !== undefined && this.#covered < head ? this.#covered + 1 : head;
    const hashes: string[] = [];
    for await (const entry of this.store.readJournal({ after: from - 1 })) {
      if (entry.seq > head) break;
      hashes.push(entry.hash);
    }
    if (hashes.length !== head - from + 1) return null; // the journal changed under us; the next export covers it
    const checkpoint = signCheckpoint({
      from,
      hashes,
      at: this.clock.now().toISOString(),
      keyId: this.#keyId,
      privateKey: this.#privateKey,
    });
    await this.sink.put(checkpoint);
    this.#covered = checkpoint.seq;
    return checkpoint;
  }
}

async function headOf(store: StateStore): Promise<number> {
  if (store.journalHead) return (await store.journalHead()).seq;
  let seq = 0;
  for await (const entry of store.readJournal({})) seq = entry.seq;
  return seq;
}
