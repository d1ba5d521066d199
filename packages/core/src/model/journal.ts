import * as z from 'zod';
import { Actor } from './actor.js';
import type * as T from './journal-types.js';
import { Timestamp } from './primitives.js';

/**
 * A journal entry before the store chains it: who did what to which record, when and why.
 *
 * @example
 * ```ts
 * const draft: JournalDraft = { at, actor, type: 'deployment.transition', subject: { kind: 'deployment', id }, data: { from, to } };
 * ```
 * @hidden
 */
export const JournalDraft = z
  .object({
    at: Timestamp,
    actor: Actor,
    type: z.string().min(1).max(100),
    subject: z.object({ kind: z.string().min(1), id: z.string().min(1) }).strict(),
    environment: z.string().optional(),
    deploymentId: z.string().optional(),
    reason: z.string().optional(),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .strict() satisfies z.ZodType<T.JournalDraft>;
/** A journal entry before the store chains it. */
export type JournalDraft = T.JournalDraft;

/**
 * A journal entry as stored: the draft plus its sequence number, the previous entry's hash and its
 * own hash (sha256 of the canonical JSON of everything but `hash`).
 * @hidden
 */
export const JournalEntry = JournalDraft.extend({
  seq: z.number().int().positive(),
  prevHash: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
}).strict() satisfies z.ZodType<T.JournalEntry>;
/** A journal entry as stored, hash-chained. */
export type JournalEntry = T.JournalEntry;
