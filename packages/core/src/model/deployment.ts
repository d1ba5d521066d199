import * as z from 'zod';
import { Actor } from './actor.js';
import type * as T from './deployment-types.js';
import { ActiveRef, Snapshot } from './environment.js';
import { HostClaim } from './host-claim.js';
import { Digest, SemverString, Slug, Timestamp } from './primitives.js';

/** One approval, bound to the bundle digest it approved. @hidden */
export const Approval = z
  .object({ by: Actor, at: Timestamp, bundleId: Digest, comment: z.string().max(2000).optional() })
  .strict() satisfies z.ZodType<T.Approval>;
/** One approval, bound to the bundle digest it approved. */
export type Approval = T.Approval;

/** Who decided something, when and why. @hidden */
export const Decision = z
  .object({ by: Actor, at: Timestamp, reason: z.string().max(2000).optional() })
  .strict() satisfies z.ZodType<T.Decision>;
/** Who decided something, when and why. */
export type Decision = T.Decision;

/** Why a deployment failed: a stable code, a sentence, and when. @hidden */
export const Failure = z
  .object({
    code: z.string().min(1),
    reason: z.string().min(1),
    at: Timestamp,
    by: Actor.optional(),
  })
  .strict() satisfies z.ZodType<T.Failure>;
/** Why a deployment failed. */
export type Failure = T.Failure;

/**
 * Progress of one verification scenario: `pending` until its scenario run is queued, `running`
 * while the run (`runId`, see `scenarios.getRun`) is queued or running, then how the run ended.
 * @hidden
 */
export const ScenarioProgress = z
  .object({
    status: z.enum(['pending', 'running', 'passed', 'failed']),
    runId: z.string().optional(),
    error: z.string().optional(),
    finishedAt: Timestamp.optional(),
  })
  .strict() satisfies z.ZodType<T.ScenarioProgress>;
/** Progress of one verification scenario. */
export type ScenarioProgress = T.ScenarioProgress;

/** Progress of one verification monitor. @hidden */
export const MonitorProgress = z
  .object({
    status: z.enum(['unknown', 'ok', 'warning', 'critical', 'silenced']),
    consecutiveFailures: z.number().int().nonnegative(),
    consecutiveBreaches: z.number().int().nonnegative().default(0),
    consecutivePasses: z.number().int().nonnegative().default(0),
    consecutiveWarnings: z.number().int().nonnegative().default(0),
    lastResult: z.enum(['pass', 'warning', 'fail', 'inconclusive']).optional(),
    lastValue: z.number().optional(),
    lastAt: Timestamp.optional(),
    detail: z.string().optional(),
    nextAt: Timestamp,
    /** The probe claimed as host work and not read yet: which engine runs it, its lease and timeout. */
    probe: HostClaim.optional(),
  })
  .strict() satisfies z.ZodType<T.MonitorProgress>;
/** Progress of one verification monitor. */
export type MonitorProgress = T.MonitorProgress;

/** Verification in progress: scenarios, monitors and the end of the bake time. @hidden */
export const VerificationProgress = z
  .object({
    startedAt: Timestamp,
    bakeUntil: Timestamp,
    scenarios: z.record(z.string(), ScenarioProgress),
    monitors: z.record(z.string(), MonitorProgress),
  })
  .strict() satisfies z.ZodType<T.VerificationProgress>;
/** Verification in progress. */
export type VerificationProgress = T.VerificationProgress;

const base = z.object({
  id: z.string().min(1),
  environment: Slug,
  kind: z.enum(['promotion', 'rollback']),
  bundleId: Digest,
  project: Slug,
  version: SemverString,
  requestedBy: Actor,
  requestedAt: Timestamp,
  reason: z.string().max(2000).optional(),
  idempotencyKey: z.string().optional(),
  /** Set when the engine, not a person, asked for it (automatic rollbacks). */
  automatic: z.boolean(),
  /** For a rollback: the deployment it rolls back. */
  rollbackOf: z.string().optional(),
  /** For a rollback: the exact snapshot it restores. */
  restores: Snapshot.optional(),
  approvals: z.array(Approval),
  freezeOverride: Decision.optional(),
  enteredAt: Timestamp,
  updatedAt: Timestamp,
});

const pending = base.extend({ deadlineAt: Timestamp });
const started = pending.extend({ startedAt: Timestamp });
const activated = base.extend({ snapshot: Snapshot, replaces: ActiveRef.nullable(), activatedAt: Timestamp });

/**
 * A deployment: one bundle going into one environment. A union discriminated on `status`; each
 * variant carries only the fields that are legal in that state.
 *
 * @example
 * ```ts
 * if (deployment.status === 'failed') console.log(deployment.failure.reason);
 * ```
 * @hidden
 */
export const Deployment = z.discriminatedUnion('status', [
  pending.extend({ status: z.literal('requested') }).strict(),
  pending.extend({ status: z.literal('awaiting_approval') }).strict(),
  pending.extend({ status: z.literal('approved') }).strict(),
  started.extend({ status: z.literal('transferring') }).strict(),
  started.extend({ status: z.literal('preflight') }).strict(),
  started
    .extend({
      status: z.literal('activating'),
      snapshot: Snapshot,
      /** The activation hook claimed as host work: which engine runs it, its lease and deadline. */
      hook: HostClaim.optional(),
    })
    .strict(),
  activated
    .extend({
      status: z.literal('verifying'),
      deadlineAt: Timestamp,
      startedAt: Timestamp,
      verification: VerificationProgress,
    })
    .strict(),
  activated
    .extend({
      status: z.literal('active'),
      verifiedAt: Timestamp,
      /** How its verification scenarios ended. */
      scenarios: z.record(z.string(), ScenarioProgress).optional(),
      /** Its monitors as verification left them (the watch, if any, carries them on). */
      monitors: z.record(z.string(), MonitorProgress).optional(),
      /** Monitors still watching after activation, until `until`. */
      watch: z
        .object({
          until: Timestamp,
          monitors: z.record(z.string(), MonitorProgress),
          /** The rollback a critical monitor triggered, which ends the watch. */
          rollback: z.string().optional(),
          /** How far the journal has been read for failed scenario runs (the policy's `on.scenarios`). */
          journalSeq: z.number().int().nonnegative().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  activated.extend({ status: z.literal('superseded'), supersededBy: z.string() }).strict(),
  activated
    .extend({
      status: z.literal('rolling_back'),
      deadlineAt: Timestamp,
      rollback: z.string(),
      failure: Failure.optional(),
    })
    .strict(),
  activated
    .extend({ status: z.literal('rolled_back'), rolledBackBy: z.string(), failure: Failure.optional() })
    .strict(),
  base.extend({ status: z.literal('rejected'), rejection: Decision }).strict(),
  base.extend({ status: z.literal('cancelled'), cancellation: Decision }).strict(),
  base
    .extend({
      status: z.literal('failed'),
      failure: Failure,
      snapshot: Snapshot.optional(),
      replaces: ActiveRef.nullable().optional(),
      activatedAt: Timestamp.optional(),
    })
    .strict(),
]) satisfies z.ZodType<T.Deployment>;
/** A deployment: one bundle going into one environment, discriminated on `status`. */
export type Deployment = T.Deployment;
/** Every deployment status. */
export type DeploymentStatus = Deployment['status'];
/** The deployment variant for one status. */
export type DeploymentIn<TStatus extends DeploymentStatus> = Extract<
  Deployment,
  {
    /** The state. */
    status: TStatus;
  }
>;
