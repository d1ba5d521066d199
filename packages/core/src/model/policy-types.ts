import type { CardSection } from './project-card.js';
// Policy records as named interfaces; the schemas in policy.ts satisfy them.

/**
 * A one-off interval during which promotions into an environment are frozen.
 *
 * @example
 * ```ts
 * const window: FreezeWindow = { from: '2026-12-24T00:00:00.000Z', until: '2026-12-27T00:00:00.000Z', reason: 'holidays' };
 * ```
 */
export interface FreezeWindow {
  /** When the freeze starts (ISO time). */
  from: string;
  /** When it ends (ISO time). */
  until: string;
  /** Why, shown to whoever is refused. */
  reason?: string;
}

/**
 * A freeze that recurs: it starts at each time the cron expression names (in `timezone`) and lasts
 * `durationMs`.
 *
 * @example
 * ```ts
 * const weekend: RecurringFreeze = { cron: '0 18 * * 5', timezone: 'Europe/Paris', durationMs: 62 * 3_600_000 };
 * ```
 */
export interface RecurringFreeze {
  /** When each freeze starts: a cron expression. */
  cron: string;
  /** The IANA time zone the expression is read in (default `UTC`). */
  timezone: string;
  /** How long each freeze lasts, in ms (at least a minute). */
  durationMs: number;
  /** Why, shown to whoever is refused. */
  reason?: string;
}

/**
 * Per-state deadlines, in milliseconds spent in the state; past one, the deployment fails.
 *
 * @example
 * ```ts
 * const deadlines: Partial<Deadlines> = { awaiting_approval: 2 * 24 * 3_600_000 };
 * ```
 */
export interface Deadlines {
  /** Recorded, before the policy is applied. */
  requested: number;
  /** Waiting for approvals. */
  awaiting_approval: number;
  /** Approved, waiting for the environment to be free. */
  approved: number;
  /** Blobs reaching the site. */
  transferring: number;
  /** Checks before activation. */
  preflight: number;
  /** The active pointer moving. */
  activating: number;
  /** Verification and bake time. */
  verifying: number;
  /** A rollback restoring the previous snapshot. */
  rolling_back: number;
}

/**
 * What an environment demands before, during and after a promotion, with its defaults filled in.
 *
 * @example
 * ```ts
 * const environment = await railyard.environments.get('production');
 * const policy: Policy | undefined = environment?.definition.policy;
 * ```
 */
export interface Policy {
  /** How many approvals a promotion needs, and from which roles. */
  approvals: {
    /** Approvals needed (0–10, default 0). */
    required: number;
    /** Roles that may approve; `['*']` lets anyone. */
    roles: string[];
  };
  /**
   * Roles allowed to roll back, abandon, cancel others' requests, resume and silence monitors;
   * defaults to the approval roles. Fails closed: with neither, nobody may; `['*']` lets anyone.
   */
  operatorRoles?: string[];
  /** When promotions are frozen, and who may override a freeze. */
  freeze: {
    /** One-off freezes. */
    windows: FreezeWindow[];
    /** Recurring freezes. */
    recurring: RecurringFreeze[];
    /** Roles that may promote during a freeze. */
    overrideRoles: string[];
  };
  /** Whether a lower version than the active one may be promoted. */
  allowDowngrade: boolean;
  /** Whether a bundle must have been active upstream (in one of `promotesFrom`) first. */
  requireUpstream: boolean;
  /** What happens when a deployment turns out unhealthy. */
  autoRollback: {
    /** Whether unhealthy deployments are acted on at all. */
    enabled: boolean;
    /** The most rollbacks in a row before the environment halts for a person. */
    maxConsecutive: number;
    /** What a failed verification or a critical monitor during the watch does: roll back, or hold for a person (halt). */
    mode: 'rollback' | 'hold';
    /** Which signals trigger the policy. */
    on: {
      /** A failed verification. */
      verificationFailed: boolean;
      /** A monitor turning critical during the watch. */
      watchCritical: boolean;
      /** Scenarios (by id) whose failed or timed-out run in the environment during the watch triggers the policy. */
      scenarios: string[];
    };
    /** Whether a rollback re-runs verification (`reverify`) or counts as healthy once active (`fast-track`). */
    verifyRollback: 'reverify' | 'fast-track';
  };
  /** What a promotion finds when another is queued or in flight: wait its turn, or be refused. */
  whenBusy: 'queue' | 'refuse';
  /** Deadlines overriding the defaults, by state. */
  deadlines: Partial<Deadlines>;
  /** Signatures a bundle needs from pinned ed25519 keys (PEM public keys by key id) before it may enter. */
  signatures: {
    /** Signatures needed (0–10, at most the number of keys). */
    required: number;
    /** PEM public keys, by key id. */
    keys: Record<string, string>;
  };
  /**
   * The handover gate (docs/handover.md): a project's first promotion here, and any whose card
   * changed in `sections` since the card last accepted, waits for an acceptance by `role`.
   */
  handover?: {
    /** The role of the environment's owners: its holders accept and withdraw. */
    role: string;
    /** The card sections whose change re-opens the gate (default: every section). */
    sections: CardSection[];
    /** An acceptance lapses this many days after it was given (by the engine's clock). */
    expiresAfterDays?: number;
    /** Whether a new major version needs a new acceptance. */
    reacceptOnMajor: boolean;
  };
}
