import * as z from 'zod';
import { Actor } from './actor.js';
import { Digest, Reason, Slug } from './primitives.js';

/** Input of `promote`. @hidden */
export const PromoteInput = z
  .object({
    bundle: Digest,
    to: Slug,
    by: Actor,
    reason: Reason.optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    /** Promote during a freeze window: needs a freeze-override role and a reason. */
    freezeOverride: z.object({ reason: Reason }).strict().optional(),
  })
  .strict();
/** Input of `promote`. */
export type PromoteInput = z.input<typeof PromoteInput>;

/** Input of `approve`. @hidden */
export const ApproveInput = z
  .object({
    by: Actor,
    comment: z.string().max(2000).optional(),
    /** The bundle digest the approver reviewed; refused if it is not the deployment's. */
    bundle: Digest.optional(),
  })
  .strict();
/** Input of `approve`. */
export type ApproveInput = z.input<typeof ApproveInput>;

/** Input of `reject`, `cancel` and `abandon`: who, and optionally why. @hidden */
export const DecisionInput = z
  .object({ by: Actor, comment: z.string().max(2000).optional(), reason: Reason.optional() })
  .strict();
/** Input of `reject`, `cancel` and `abandon`. */
export type DecisionInput = z.input<typeof DecisionInput>;

/** Input of `rollback`. @hidden */
export const RollbackInput = z
  .object({
    by: Actor,
    reason: Reason,
    /** The earlier deployment whose snapshot to restore; defaults to the one the active deployment replaced. */
    to: z.string().min(1).optional(),
  })
  .strict();
/** Input of `rollback`. */
export type RollbackInput = z.input<typeof RollbackInput>;

/** Input of `resume`. @hidden */
export const ResumeInput = z.object({ by: Actor, reason: Reason.optional() }).strict();
/** Input of `resume`. */
export type ResumeInput = z.input<typeof ResumeInput>;

/** Input of `history`. @hidden */
export const HistoryInput = z.object({ limit: z.number().int().min(1).max(10_000).default(100) }).strict();
/** Input of `history`. */
export type HistoryInput = z.input<typeof HistoryInput>;

/** A deployment id as commands take it. */
export const DeploymentId = z.string().min(1).max(300);
