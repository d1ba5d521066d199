import * as z from 'zod';
import type * as T from './environment-types.js';

/**
 * Who does something: an id and the roles it holds. Every command carries one; the journal records it.
 *
 * @example
 * ```ts
 * const operator: Actor = { id: 'operator', roles: ['ops'] };
 * ```
 * @hidden
 */
export const Actor = z
  .object({
    id: z.string().min(1).max(200),
    roles: z.array(z.string().min(1).max(100)).max(100).default([]),
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
}
