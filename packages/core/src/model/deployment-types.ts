import type { ActiveRef, Actor, Snapshot } from './environment-types.js';
import type { HostClaim } from './host-claim.js';

// The deployment record as named interfaces: the schemas in deployment.ts are checked against
// them (`satisfies z.ZodType<…>` there, exact equality in test/model/records.test-d.ts).

/**
 * One approval, bound to the bundle digest it approved.
 *
 * @example
 * ```ts
 * const approvers = deployment.approvals.map((approval: Approval) => approval.by.id);
 * ```
 */
export interface Approval {
  /** Who approved. */
  by: Actor;
  /** When (ISO 8601, UTC). */
  at: string;
  /** The bundle digest the approval is bound to. */
  bundleId: string;
  /** What the approver wrote. */
  comment?: string;
}

/**
 * Who decided something (a rejection, a cancellation, a freeze override), when and why.
 *
 * @example
 * ```ts
 * if (deployment.status === 'rejected') console.log(deployment.rejection.by.id, deployment.rejection.reason);
 * ```
 */
export interface Decision {
  /** Who decided. */
  by: Actor;
  /** When (ISO 8601, UTC). */
  at: string;
  /** Why, in their words. */
  reason?: string;
}

/**
 * Why a deployment failed: a stable code, a sentence, and when.
 *
 * @example
 * ```ts
 * if (deployment.status === 'failed') console.log(`${deployment.failure.code}: ${deployment.failure.reason}`);
 * ```
 */
export interface Failure {
  /** A stable code, such as `timeout`, `verification`, `activation` or `abandoned`. */
  code: string;
  /** What happened, for people. */
  reason: string;
  /** When (ISO 8601, UTC). */
  at: string;
  /** The operator who ended it, when a person did. */
  by?: Actor;
}

/**
 * Progress of one verification scenario of a deployment.
 *
 * @example
 * ```ts
 * const failed = Object.entries(deployment.verification.scenarios).filter(([, progress]) => progress.status === 'failed');
 * ```
 */
export interface ScenarioProgress {
  /** Where the scenario is. */
  status: 'pending' | 'running' | 'passed' | 'failed';
  /** The scenario run that verifies it, once queued (see `railyard.scenarios.getRun`). */
  runId?: string;
  /** Why it failed. */
  error?: string;
  /** When it ended. */
  finishedAt?: string;
}

/**
 * Progress of one monitor during verification or the watch after activation.
 *
 * @example
 * ```ts
 * const critical = Object.entries(deployment.verification.monitors).some(([, m]) => m.status === 'critical');
 * ```
 */
export interface MonitorProgress {
  /** The monitor's state (see the monitor machine). */
  status: 'unknown' | 'ok' | 'warning' | 'critical' | 'silenced';
  /** Consecutive failed readings. */
  consecutiveFailures: number;
  /** Consecutive readings that breached a threshold (warning or fail). */
  consecutiveBreaches: number;
  /** Consecutive passing readings. */
  consecutivePasses: number;
  /** Consecutive warning readings while critical (enough of them step down to warning). */
  consecutiveWarnings: number;
  /** The last reading's result. */
  lastResult?: 'pass' | 'warning' | 'fail' | 'inconclusive';
  /** The last reading's value, if the probe gave one. */
  lastValue?: number;
  /** When it was last read. */
  lastAt?: string;
  /** What the probe said about the last reading. */
  detail?: string;
  /** When it is read next. */
  nextAt: string;
  /** The probe claimed as host work and not read yet: which engine runs it, its lease and timeout. */
  probe?: HostClaim;
}

/**
 * Verification in progress: scenarios, monitors and the end of the bake time.
 *
 * @example
 * ```ts
 * if (deployment.status === 'verifying') console.log('bakes until', deployment.verification.bakeUntil);
 * ```
 */
export interface VerificationProgress {
  /** When verification started. */
  startedAt: string;
  /** Verification cannot pass before this time. */
  bakeUntil: string;
  /** Each verification scenario's progress, by id. */
  scenarios: Record<string, ScenarioProgress>;
  /** Each verification monitor's progress, by id. */
  monitors: Record<string, MonitorProgress>;
}

/**
 * What every deployment carries, whatever its status.
 *
 * @example
 * ```ts
 * const line = (deployment: DeploymentBase) => `${deployment.id} ${deployment.project}@${deployment.version}`;
 * ```
 */
export interface DeploymentBase {
  /** `<environment>/<sequence>`, e.g. `production/000012`. */
  id: string;
  /** The environment it goes into. */
  environment: string;
  /** A promotion, or a rollback restoring an earlier snapshot. */
  kind: 'promotion' | 'rollback';
  /** The bundle's digest. */
  bundleId: string;
  /** The bundle's project. */
  project: string;
  /** The bundle's version (semver). */
  version: string;
  /** Who asked for it. */
  requestedBy: Actor;
  /** When it was asked for. */
  requestedAt: string;
  /** Why it was asked for. */
  reason?: string;
  /** The caller's key: the same key returns the same deployment. */
  idempotencyKey?: string;
  /** Set when the engine, not a person, asked for it (automatic rollbacks). */
  automatic: boolean;
  /** For a rollback: the deployment it rolls back. */
  rollbackOf?: string;
  /** For a rollback: the exact snapshot it restores. */
  restores?: Snapshot;
  /** Approvals recorded so far. */
  approvals: Approval[];
  /** Set when it was requested during a freeze window with an override. */
  freezeOverride?: Decision;
  /** When it entered its current status. */
  enteredAt: string;
  /** When it last changed. */
  updatedAt: string;
}

/**
 * A deployment waiting in the environment's queue: `requested`, `awaiting_approval` or `approved`.
 *
 * @example
 * ```ts
 * const waiting: QueuedDeployment<'awaiting_approval'> = deployment as QueuedDeployment<'awaiting_approval'>;
 * ```
 */
export interface QueuedDeployment<TStatus extends 'requested' | 'awaiting_approval' | 'approved'>
  extends DeploymentBase {
  /** Where it is. */
  status: TStatus;
  /** When the engine ends it with `timeout` if it has not moved on. */
  deadlineAt: string;
}

/**
 * A deployment holding the environment's slot before activation: `transferring` or `preflight`.
 *
 * @example
 * ```ts
 * if (deployment.status === 'preflight') console.log('started', deployment.startedAt);
 * ```
 */
export interface StartedDeployment<TStatus extends 'transferring' | 'preflight'> extends DeploymentBase {
  /** Where it is. */
  status: TStatus;
  /** When the engine ends it with `timeout` if it has not moved on. */
  deadlineAt: string;
  /** When it left the queue. */
  startedAt: string;
}

/**
 * A deployment whose snapshot is being made live by the host's activation hook.
 *
 * @example
 * ```ts
 * if (deployment.status === 'activating') console.log(deployment.snapshot.variables);
 * ```
 */
export interface ActivatingDeployment extends Omit<StartedDeployment<'transferring'>, 'status'> {
  /** Where it is. */
  status: 'activating';
  /** What is being made live. */
  snapshot: Snapshot;
  /** The activation hook claimed as host work: which engine runs it, its lease and deadline. */
  hook?: HostClaim;
}

/**
 * What every deployment that was activated carries.
 *
 * @example
 * ```ts
 * const since = (deployment: ActivatedDeployment) => deployment.activatedAt;
 * ```
 */
export interface ActivatedDeployment extends DeploymentBase {
  /** What was made live. */
  snapshot: Snapshot;
  /** What was active before it, if anything. */
  replaces: ActiveRef | null;
  /** When it was made live. */
  activatedAt: string;
}

/**
 * A live deployment under verification: scenarios run, monitors are read, the bake time runs.
 *
 * @example
 * ```ts
 * if (deployment.status === 'verifying') console.log(deployment.verification.monitors);
 * ```
 */
export interface VerifyingDeployment extends ActivatedDeployment {
  /** Where it is. */
  status: 'verifying';
  /** Past this time, verification counts as failed. */
  deadlineAt: string;
  /** When it left the queue. */
  startedAt: string;
  /** Scenarios and monitors so far. */
  verification: VerificationProgress;
}

/**
 * Monitors still watching an active deployment after verification.
 *
 * @example
 * ```ts
 * if (deployment.status === 'active' && deployment.watch) console.log('watched until', deployment.watch.until);
 * ```
 */
export interface DeploymentWatch {
  /** When the watch ends. */
  until: string;
  /** Each watching monitor's progress, by id. */
  monitors: Record<string, MonitorProgress>;
  /** The rollback a critical monitor triggered, which ends the watch. */
  rollback?: string;
  /** How far the journal has been read for failed scenario runs (the policy's `on.scenarios`). */
  journalSeq?: number;
}

/**
 * The deployment an environment runs now.
 *
 * @example
 * ```ts
 * if (deployment.status === 'active') console.log('verified at', deployment.verifiedAt);
 * ```
 */
export interface ActiveDeployment extends ActivatedDeployment {
  /** Where it is. */
  status: 'active';
  /** When verification passed. */
  verifiedAt: string;
  /** How its verification scenarios ended. */
  scenarios?: Record<string, ScenarioProgress>;
  /** Its monitors as verification left them (the watch, if any, carries them on). */
  monitors?: Record<string, MonitorProgress>;
  /** Monitors still watching after activation, until `until`. */
  watch?: DeploymentWatch;
}

/**
 * A deployment that was active and was replaced by a newer one.
 *
 * @example
 * ```ts
 * if (deployment.status === 'superseded') console.log('replaced by', deployment.supersededBy);
 * ```
 */
export interface SupersededDeployment extends ActivatedDeployment {
  /** Where it is. */
  status: 'superseded';
  /** The deployment that replaced it. */
  supersededBy: string;
}

/**
 * A deployment being rolled back: it ends with its rollback deployment.
 *
 * @example
 * ```ts
 * if (deployment.status === 'rolling_back') console.log('rollback', deployment.rollback);
 * ```
 */
export interface RollingBackDeployment extends ActivatedDeployment {
  /** Where it is. */
  status: 'rolling_back';
  /** When the engine gives up on the rollback. */
  deadlineAt: string;
  /** The rollback deployment's id. */
  rollback: string;
  /** Why it is rolled back, when it failed. */
  failure?: Failure;
}

/**
 * A deployment that a rollback replaced.
 *
 * @example
 * ```ts
 * if (deployment.status === 'rolled_back') console.log('by', deployment.rolledBackBy);
 * ```
 */
export interface RolledBackDeployment extends ActivatedDeployment {
  /** Where it is. */
  status: 'rolled_back';
  /** The rollback deployment that replaced it. */
  rolledBackBy: string;
  /** Why it was rolled back, when it failed. */
  failure?: Failure;
}

/**
 * A deployment an approver rejected.
 *
 * @example
 * ```ts
 * if (deployment.status === 'rejected') console.log(deployment.rejection.reason);
 * ```
 */
export interface RejectedDeployment extends DeploymentBase {
  /** Where it is. */
  status: 'rejected';
  /** Who rejected it and why. */
  rejection: Decision;
}

/**
 * A deployment withdrawn before it started.
 *
 * @example
 * ```ts
 * if (deployment.status === 'cancelled') console.log(deployment.cancellation.by.id);
 * ```
 */
export interface CancelledDeployment extends DeploymentBase {
  /** Where it is. */
  status: 'cancelled';
  /** Who withdrew it and why. */
  cancellation: Decision;
}

/**
 * A deployment that failed (a gate, a transfer, activation, verification, a timeout, or an operator).
 *
 * @example
 * ```ts
 * if (deployment.status === 'failed') console.log(deployment.failure.code, deployment.failure.reason);
 * ```
 */
export interface FailedDeployment extends DeploymentBase {
  /** Where it is. */
  status: 'failed';
  /** Why it failed. */
  failure: Failure;
  /** What was made live, if it got that far. */
  snapshot?: Snapshot;
  /** What was active before it, if it got that far. */
  replaces?: ActiveRef | null;
  /** When it was made live, if it got that far. */
  activatedAt?: string;
}

/**
 * A deployment: one bundle going into one environment. A union discriminated on `status`; each
 * variant carries only the fields that are legal in that state.
 *
 * @example
 * ```ts
 * if (deployment.status === 'failed') console.log(deployment.failure.reason);
 * ```
 */
export type Deployment =
  | QueuedDeployment<'requested'>
  | QueuedDeployment<'awaiting_approval'>
  | QueuedDeployment<'approved'>
  | StartedDeployment<'transferring'>
  | StartedDeployment<'preflight'>
  | ActivatingDeployment
  | VerifyingDeployment
  | ActiveDeployment
  | SupersededDeployment
  | RollingBackDeployment
  | RolledBackDeployment
  | RejectedDeployment
  | CancelledDeployment
  | FailedDeployment;
