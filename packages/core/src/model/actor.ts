import * as z from 'zod';
import type * as T from './environment-types.js';

const ActorId = z
  .string()
  .max(200)
  .transform((id) => id.trim())
  .pipe(z.string().min(1, 'an actor id cannot be blank'));

/**
 * Who does something: an id and the roles it holds. Every command carries one; the journal records it.
 * The id is trimmed; its display form is kept, and comparisons use {@link normalizeActorId}.
 *
 * @example
 * ```ts
 * const operator: Actor = { id: 'operator', roles: ['ops'] };
 * ```
 * @hidden
 */
export const Actor = z
  .object({
    id: ActorId,
    roles: z.array(z.string().min(1).max(100)).max(100).default([]),
    via: ActorId.optional(),
  })
  .strict() satisfies z.ZodType<T.Actor, ActorInput>;
/** Who does something: an id and the roles it holds. */
export type Actor = T.Actor;
/**
 * An actor as callers write it: roles may be omitted (none).
 *
 * @example
 * ```ts
 * const by: ActorInput = { id: 'ci-bot' };
 * ```
 */
export interface ActorInput {
  /** A stable id (a user name, a service account). */
  id: string;
  /** The roles it holds; none when omitted. */
  roles?: string[];
  /** The agent key's actor that named this person (set by the agent, see {@link Actor.via}). */
  via?: string;
}

/**
 * The form of an actor id Railyard compares: trimmed, Unicode NFKC, case-folded, so that `alice`,
 * ` Alice ` and the full-width `ａｌｉｃｅ` are one person (separation of duties, approvals, a
 * requester cancelling their own request). Records keep the id as it was written (trimmed).
 *
 * @example
 * ```ts
 * normalizeActorId(' Ａlice '); // 'alice'
 * ```
 */
export function normalizeActorId(id: string): string {
  // toUpperCase then toLowerCase folds more than toLowerCase alone (ß → SS → ss, ς → Σ → σ).
  return id.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Whether two actor ids name the same person. @internal */
export function sameActorId(a: string, b: string): boolean {
  return normalizeActorId(a) === normalizeActorId(b);
}

/**
 * Every identity an actor answers for: its own id and, when it acted through an agent key, the
 * key's actor. Separation of duties refuses an approver who shares any of them with the requester
 * or the author.
 * @internal
 */
export function identitiesOf(actor: Pick<T.Actor, 'id' | 'via'>): string[] {
  return actor.via === undefined
    ? [normalizeActorId(actor.id)]
    : [normalizeActorId(actor.id), normalizeActorId(actor.via)];
}
