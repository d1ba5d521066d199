import * as z from 'zod';
import { cronClass } from './lazy-croner.js';
import type * as T from './policy-types.js';
import { Duration, Reason, Timestamp } from './primitives.js';
import { CARD_SECTIONS, CardSection } from './project-card.js';
import { KeyId } from './signature.js';

/** A one-off interval during which promotions into an environment are frozen. @hidden */
export const FreezeWindow = z
  .object({ from: Timestamp, until: Timestamp, reason: Reason.optional() })
  .strict()
  .refine((w) => w.from < w.until, 'a freeze window must end after it starts') satisfies z.ZodType<T.FreezeWindow>;
/** A one-off interval during which promotions into an environment are frozen. */
export type FreezeWindow = T.FreezeWindow;

/**
 * A freeze that recurs: it starts at each time the cron expression names (in `timezone`) and lasts
 * `durationMs`. For example every Friday at 18:00 in Paris for the weekend:
 * `{ cron: '0 18 * * 5', timezone: 'Europe/Paris', durationMs: 62 * 3_600_000 }`.
 * @hidden
 */
export const RecurringFreeze = z
  .object({
    cron: z.string().min(9).max(200).refine(validCron, 'expected a cron expression like "0 18 * * 5"'),
    timezone: z
      .string()
      .min(1)
      .max(100)
      .default('UTC')
      .refine(validTimezone, 'expected an IANA time zone like "Europe/Paris"'),
    durationMs: Duration.min(60_000),
    reason: Reason.optional(),
  })
  .strict() satisfies z.ZodType<T.RecurringFreeze>;
/** A freeze that recurs on a cron schedule. */
export type RecurringFreeze = T.RecurringFreeze;

function validCron(expression: string): boolean {
  try {
    const Cron = cronClass();
    new Cron(expression, { paused: true });
    return true;
  } catch {
    return false;
  }
}

function validTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Roles that may do something; `['*']`, written explicitly, lets anyone. */
const Roles = z
  .array(z.string().min(1))
  .refine((roles) => !roles.includes('*') || roles.length === 1, "'*' lets anyone: write it alone, as ['*']");

/** Per-state deadlines, in milliseconds spent in the state. @hidden */
export const Deadlines = z
  .object({
    requested: Duration,
    awaiting_approval: Duration,
    approved: Duration,
    transferring: Duration,
    preflight: Duration,
    activating: Duration,
    verifying: Duration,
    rolling_back: Duration,
  })
  .strict() satisfies z.ZodType<T.Deadlines>;
/** Per-state deadlines, in milliseconds spent in the state. */
export type Deadlines = T.Deadlines;

const hour = 3_600_000;

/** The deadlines used where a policy names none. */
export const defaultDeadlines: Deadlines = {
  requested: hour,
  awaiting_approval: 7 * 24 * hour,
  approved: 24 * hour,
  transferring: hour,
  preflight: 15 * 60_000,
  activating: 30 * 60_000,
  verifying: 2 * hour,
  rolling_back: hour,
};

/**
 * What an environment demands before, during and after a promotion.
 *
 * @example
 * ```ts
 * const policy: PolicyInput = { approvals: { required: 1, roles: ['ops'] }, autoRollback: { maxConsecutive: 3 } };
 * ```
 * @hidden
 */
export const Policy = z
  .object({
    approvals: z
      .object({
        required: z.number().int().min(0).max(10).default(0),
        roles: Roles.default([]),
      })
      .strict()
      .refine(
        (a) => a.required === 0 || a.roles.length > 0,
        "approvals.roles must name at least one role (or '*' for anyone)",
      )
      .default({ required: 0, roles: [] }),
    /**
     * Roles allowed to roll back, abandon, cancel others' requests, resume and silence monitors;
     * defaults to the approval roles. Fails closed: with neither, nobody may; `['*']` lets anyone.
     */
    operatorRoles: Roles.optional(),
    freeze: z
      .object({
        windows: z.array(FreezeWindow).default([]),
        recurring: z.array(RecurringFreeze).default([]),
        overrideRoles: Roles.default([]),
      })
      .strict()
      .default({ windows: [], recurring: [], overrideRoles: [] }),
    allowDowngrade: z.boolean().default(false),
    /** Whether a bundle must have been active upstream (in one of `promotesFrom`) first. */
    requireUpstream: z.boolean().default(true),
    autoRollback: z
      .object({
        enabled: z.boolean().default(true),
        maxConsecutive: z.number().int().min(0).max(100).default(3),
        /** What a failed verification or a critical monitor during the watch does: roll back, or hold for a person (halt). */
        mode: z.enum(['rollback', 'hold']).default('rollback'),
        /** Which signals trigger the policy. */
        on: z
          .object({
            verificationFailed: z.boolean().default(true),
            watchCritical: z.boolean().default(true),
            /** Scenarios (by id) whose failed or timed-out run in the environment during the watch triggers the policy. */
            scenarios: z.array(z.string().min(1)).default([]),
          })
          .strict()
          .default({ verificationFailed: true, watchCritical: true, scenarios: [] }),
        /** Whether a rollback re-runs verification (`reverify`) or counts as healthy once active (`fast-track`). */
        verifyRollback: z.enum(['reverify', 'fast-track']).default('reverify'),
      })
      .strict()
      .default({
        enabled: true,
        maxConsecutive: 3,
        mode: 'rollback',
        on: { verificationFailed: true, watchCritical: true, scenarios: [] },
        verifyRollback: 'reverify',
      }),
    /** What a promotion finds when another is queued or in flight: wait its turn, or be refused. */
    whenBusy: z.enum(['queue', 'refuse']).default('queue'),
    deadlines: Deadlines.partial().default({}),
    /** Signatures a bundle needs from pinned ed25519 keys (PEM public keys by key id) before it may enter. */
    signatures: z
      .object({
        required: z.number().int().min(0).max(10).default(0),
        keys: z.record(KeyId, z.string().min(1)).default({}),
      })
      .strict()
      .refine(
        (s) => s.required <= Object.keys(s.keys).length,
        'signatures.required cannot exceed the number of pinned keys',
      )
      .default({ required: 0, keys: {} }),
    /**
     * The handover gate (docs/handover.md): a project's first promotion here, and any whose card
     * changed in `sections` since the card last accepted, waits for an acceptance by `role`.
     */
    handover: z
      .object({
        /** The role of the environment's owners: its holders accept and withdraw. */
        role: z.string().min(1).max(100),
        /** The card sections whose change re-opens the gate; every section when omitted. */
        sections: z
          .array(CardSection)
          .min(1)
          .default([...CARD_SECTIONS]),
        /** An acceptance lapses this many days after it was given (by the engine's clock). */
        expiresAfterDays: z.number().int().min(1).max(3650).optional(),
        /** Whether a new major version needs a new acceptance. */
        reacceptOnMajor: z.boolean().default(false),
      })
      .strict()
      .optional(),
  })
  .strict() satisfies z.ZodType<T.Policy>;
/** What an environment demands before, during and after a promotion. */
export type Policy = T.Policy;
/** A policy as callers write it; every field has a default. */
export type PolicyInput = z.input<typeof Policy>;
