import type { Actor } from './environment-types.js';

// Journal entries as named interfaces; the schemas in journal.ts are checked against them
// (`satisfies` there, exact equality in test/model/records.test-d.ts).

/**
 * A journal entry before the store chains it: who did what to which record, when and why.
 *
 * @example
 * ```ts
 * const draft: JournalDraft = { at, actor, type: 'deployment.transition', subject: { kind: 'deployment', id }, data: { from, to } };
 * ```
 */
export interface JournalDraft {
  /** When it happened (ISO 8601, UTC). */
  at: string;
  /** Who did it. */
  actor: Actor;
  /** What happened, e.g. `deployment.transition`, `environment.defined`, `scenario.run`. */
  type: string;
  /** The record it happened to. */
  subject: {
    /** The record's kind, e.g. `deployment`. */
    kind: string;
    /** The record's id. */
    id: string;
  };
  /** The environment it concerns. */
  environment?: string;
  /** The deployment it concerns. */
  deploymentId?: string;
  /** Why, in the actor's words. */
  reason?: string;
  /** Details of the change (for a transition: `from`, `to`, `event`). */
  data: Record<string, unknown>;
}

/**
 * A journal entry as stored: the draft plus its sequence number, the previous entry's hash and its
 * own hash (sha256 of the canonical JSON of everything but `hash`).
 *
 * @example
 * ```ts
 * for await (const entry of railyard.journal.read({ environment: 'production' })) console.log(entry.seq, entry.type, entry.hash);
 * ```
 */
export interface JournalEntry extends JournalDraft {
  /** Its position in the journal, from 1. */
  seq: number;
  /** The previous entry's hash (64 zeros for the first). */
  prevHash: string;
  /** sha256 (hex) of the canonical JSON of everything but `hash`. */
  hash: string;
}
