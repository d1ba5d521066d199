import type { PublicKeyInput } from '../bundle/signatures.js';
import { JournalEntry } from '../model/journal.js';
import { GENESIS_HASH, hashJournalEntry, type JournalHead } from './chain.js';
import { checkSignedCheckpoint } from './signed-checkpoint.js';

/** What is wrong with a journal, at which entry. */
export interface JournalProblem {
  /** The entry's sequence number. */
  seq: number;
  /** What is wrong there. */
  kind: 'malformed' | 'sequence-gap' | 'broken-link' | 'hash-mismatch' | 'truncated' | 'rewritten' | 'bad-checkpoint';
  /** The problem, for people. */
  message: string;
}

/**
 * Options of {@link verifyJournal}.
 *
 * @example
 * ```ts
 * const options: VerifyJournalOptions = { signed: { checkpoints: sink.list(), publicKey: publicKeyPem } };
 * ```
 */
export interface VerifyJournalOptions {
  /** A head exported earlier (`journal.head()`): the journal must still reach it, unchanged. */
  checkpoint?: JournalHead;
  /**
   * Signed checkpoints read back from a sink (`SignedCheckpoint`s, in any order), and the public
   * key they must verify under. A checkpoint that is malformed or fails its signature is reported
   * (`bad-checkpoint`); every entry hash they hold must match the journal (`rewritten` names the
   * first entry that does not), and the journal must reach the highest one (`truncated`).
   */
  signed?: {
    /** The checkpoints, as read from the sink (validated here). */
    checkpoints: AsyncIterable<unknown> | Iterable<unknown>;
    /** The ed25519 public key (SPKI PEM or `KeyObject`) they must verify under. */
    publicKey: PublicKeyInput;
  };
}

/** The result of {@link verifyJournal}. */
export type JournalVerification =
  | {
      /** The journal is intact. */
      ok: true;
      /** How many entries were checked. */
      entries: number;
      /** Its last entry's sequence number and hash. */
      head: JournalHead;
    }
  | {
      /** The journal is not intact. */
      ok: false;
      /** How many entries were intact before the problem. */
      entries: number;
      /** The first problem found. */
      problem: JournalProblem;
    };

/**
 * Checks a journal end to end: every entry well-formed, sequence numbers 1, 2, 3, … without gaps,
 * each `prevHash` equal to the previous entry's hash, and each hash recomputed from the entry. A
 * flipped, deleted or reordered entry breaks one of these. Truncation of the tail is only visible
 * against a checkpoint exported earlier (`journal.head()`): pass it and the journal must reach it.
 * Someone who can write the store can also recompute the whole chain; only checkpoints signed and
 * kept outside the store (`signed`) reveal that, naming the first entry that was rewritten.
 *
 * @example
 * ```ts
 * const result = await verifyJournal(store.readJournal(), { checkpoint });
 * if (!result.ok) console.error(result.problem.message);
 * ```
 */
export async function verifyJournal(
  entries: AsyncIterable<unknown>,
  options: VerifyJournalOptions = {},
): Promise<JournalVerification> {
  let head: JournalHead = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  let atCheckpoint: string | undefined;
  const fail = (problem: JournalProblem): JournalVerification => ({ ok: false, entries: count, problem });
  const anchors = options.signed ? await loadAnchors(options.signed) : { ok: true as const, hashes: new Map(), top: 0 };
  if (!anchors.ok) return fail(anchors.problem);
  for await (const raw of entries) {
    const parsed = JournalEntry.safeParse(raw);
    const seq = head.seq + 1;
    if (!parsed.success)
      return fail({ seq, kind: 'malformed', message: `entry ${seq} is malformed: ${parsed.error.issues[0]?.message}` });
    const entry = parsed.data;
    if (entry.seq !== seq) {
      return fail({
        seq,
        kind: 'sequence-gap',
        message: `expected entry ${seq} but found ${entry.seq}: entries were deleted or reordered`,
      });
    }
    if (entry.prevHash !== head.hash) {
      return fail({
        seq,
        kind: 'broken-link',
        message: `entry ${seq} does not link to entry ${head.seq}: an earlier entry was changed or removed`,
      });
    }
    if (hashJournalEntry(entry) !== entry.hash) {
      return fail({
        seq,
        kind: 'hash-mismatch',
        message: `entry ${seq} does not match its hash: it was changed after it was written`,
      });
    }
    const signed = anchors.hashes.get(entry.seq);
    if (signed !== undefined && signed.hash !== entry.hash) {
      return fail({
        seq,
        kind: 'rewritten',
        message: `entry ${seq} differs from the signed checkpoint of entry ${signed.of}: the journal was rewritten from entry ${seq} on (the chain was recomputed, so only the checkpoint shows it)`,
      });
    }
    head = { seq: entry.seq, hash: entry.hash };
    count++;
    if (options.checkpoint && entry.seq === options.checkpoint.seq) atCheckpoint = entry.hash;
  }
  if (anchors.top > head.seq) {
    return fail({
      seq: head.seq,
      kind: 'truncated',
      message: `the journal ends at entry ${head.seq} but a signed checkpoint names entry ${anchors.top}: entries were removed from its end`,
    });
  }
  if (options.checkpoint && options.checkpoint.seq > 0) {
    if (atCheckpoint === undefined) {
      return fail({
        seq: head.seq,
        kind: 'truncated',
        message: `the journal ends at entry ${head.seq} but the checkpoint names entry ${options.checkpoint.seq}: entries were removed from its end`,
      });
    }
    if (atCheckpoint !== options.checkpoint.hash) {
      return fail({
        seq: options.checkpoint.seq,
        kind: 'hash-mismatch',
        message: `entry ${options.checkpoint.seq} differs from the checkpoint: the journal was rewritten`,
      });
    }
  }
  return { ok: true, entries: count, head };
}

type Anchors =
  | { ok: true; hashes: Map<number, { hash: string; of: number }>; top: number }
  | { ok: false; problem: JournalProblem };

/** Every entry hash the signed checkpoints vouch for, once each checkpoint's signature holds. */
async function loadAnchors(signed: NonNullable<VerifyJournalOptions['signed']>): Promise<Anchors> {
  const hashes = new Map<number, { hash: string; of: number }>();
  let top = 0;
  for await (const value of signed.checkpoints) {
    const checked = checkSignedCheckpoint(value, signed.publicKey);
    if (!checked.ok) {
      return {
        ok: false,
        problem: {
          seq: checked.seq,
          kind: 'bad-checkpoint',
          message: `the signed checkpoint of entry ${checked.seq} is refused: ${checked.reason}. Someone changed the checkpoint sink, or the key is not the one that signed it.`,
        },
      };
    }
    const { checkpoint } = checked;
    checkpoint.hashes.forEach((hash, i) => {
      const seq = checkpoint.from + i;
      const known = hashes.get(seq);
      if (!known || known.of > checkpoint.seq) hashes.set(seq, { hash, of: checkpoint.seq });
    });
    top = Math.max(top, checkpoint.seq);
  }
  return { ok: true, hashes, top };
}
