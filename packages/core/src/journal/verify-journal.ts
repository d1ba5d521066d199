import { JournalEntry } from '../model/journal.js';
import { GENESIS_HASH, hashJournalEntry, type JournalHead } from './chain.js';

/** What is wrong with a journal, at which entry. */
export interface JournalProblem {
  seq: number;
  kind: 'malformed' | 'sequence-gap' | 'broken-link' | 'hash-mismatch' | 'truncated';
  message: string;
}

/** The result of {@link verifyJournal}. */
export type JournalVerification =
  | { ok: true; entries: number; head: JournalHead }
  | { ok: false; entries: number; problem: JournalProblem };

/**
 * Checks a journal end to end: every entry well-formed, sequence numbers 1, 2, 3, … without gaps,
 * each `prevHash` equal to the previous entry's hash, and each hash recomputed from the entry. A
 * flipped, deleted or reordered entry breaks one of these. Truncation of the tail is only visible
 * against a checkpoint exported earlier (`journal.head()`): pass it and the journal must reach it.
 *
 * @example
 * ```ts
 * const result = await verifyJournal(store.readJournal(), { checkpoint });
 * if (!result.ok) console.error(result.problem.message);
 * ```
 */
export async function verifyJournal(
  entries: AsyncIterable<unknown>,
  options: { checkpoint?: JournalHead } = {},
): Promise<JournalVerification> {
  let head: JournalHead = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  let atCheckpoint: string | undefined;
  const fail = (problem: JournalProblem): JournalVerification => ({ ok: false, entries: count, problem });
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
    head = { seq: entry.seq, hash: entry.hash };
    count++;
    if (options.checkpoint && entry.seq === options.checkpoint.seq) atCheckpoint = entry.hash;
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
