import { canonicalJson, sha256Hex } from '../bundle/canonical-json.js';
import type { JournalDraft, JournalEntry } from '../model/journal.js';

/** The hash before the first entry of every journal. */
export const GENESIS_HASH = '0'.repeat(64);

/** The end of a journal: its last sequence number and hash (`seq` 0 and the genesis hash when empty). */
export interface JournalHead {
  /** The last entry's sequence number (0 when empty). */
  seq: number;
  /** The last entry's hash (the genesis hash when empty). */
  hash: string;
}

/**
 * The hash of a journal entry: sha256 of the canonical JSON of every field but `hash`.
 *
 * @example
 * ```ts
 * hashJournalEntry(entry) === entry.hash;
 * ```
 */
export function hashJournalEntry(entry: Omit<JournalEntry, 'hash'>): string {
  const { hash: _ignored, ...rest } = entry as JournalEntry;
  return sha256Hex(canonicalJson(rest));
}

/**
 * Chains drafts onto a journal head: assigns sequence numbers and hashes. Stores call this inside
 * their commit, under whatever serialises their journal appends.
 *
 * @example
 * ```ts
 * const entries = chainJournal(head, tx.journal);
 * ```
 */
export function chainJournal(head: JournalHead, drafts: readonly JournalDraft[]): JournalEntry[] {
  let { seq, hash } = head;
  return drafts.map((draft) => {
    const unhashed = { ...draft, seq: ++seq, prevHash: hash };
    hash = hashJournalEntry(unhashed);
    return { ...unhashed, hash };
  });
}
