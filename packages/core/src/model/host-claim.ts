import * as z from 'zod';
import { Timestamp } from './primitives.js';

/**
 * Host code claimed on a record: which engine runs it, since when, until when its claim lasts
 * (renewed while it runs; once lapsed another engine runs the code again), and its deadline
 * (past it the engine records a timeout and ignores a late result).
 *
 * @example
 * ```ts
 * HostClaim.parse({ owner: 'engine-1', startedAt: at, leaseUntil: later, deadlineAt: later });
 * ```
 */
export interface HostClaim {
  /** The engine running the code. */
  owner: string;
  /** When the code was started. */
  startedAt: string;
  /** Until when the claim lasts; renewed while the code runs, and once lapsed another engine runs it again. */
  leaseUntil: string;
  /** Past this instant the engine records a timeout and ignores a late result. */
  deadlineAt: string;
}

/** Checks a {@link HostClaim} read from storage. @hidden */
export const HostClaim = z
  .object({ owner: z.string().min(1), startedAt: Timestamp, leaseUntil: Timestamp, deadlineAt: Timestamp })
  .strict() satisfies z.ZodType<HostClaim>;
