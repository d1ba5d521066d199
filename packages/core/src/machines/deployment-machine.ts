import { defineMachine, type Machine, type MachineConfig } from '../machine/define-machine.js';

const stop = { cancel: 'cancelled', timeout: 'failed', abandon: 'failed' } as const;
const work = { fail: 'failed', timeout: 'failed', abandon: 'failed' } as const;

// The table as written; the exported machine carries its literal type through DeploymentMachineConfig.
const deploymentTable = {
  id: 'deployment',
  initial: 'requested',
  states: {
    requested: {
      description: 'Recorded; the policy has not been applied yet.',
      on: { submit: 'awaiting_approval', auto_approve: 'approved', ...stop },
    },
    awaiting_approval: {
      description: 'Waiting for the approvals the policy requires.',
      on: { record_approval: 'awaiting_approval', approve: 'approved', reject: 'rejected', ...stop },
    },
    approved: {
      description: 'Approved; waiting for the environment to be free.',
      on: { start: 'transferring', ...stop },
    },
    transferring: {
      description: 'Blobs reach the target site and are checked.',
      on: { transferred: 'preflight', ...work },
    },
    preflight: {
      description: 'Integrity, requirements, version rules and freeze windows are checked.',
      on: { pass: 'activating', ...work },
    },
    activating: {
      description: 'The active pointer moves by compare-and-swap.',
      on: { activated: 'verifying', ...work },
    },
    verifying: {
      description: 'Scenarios and monitors run during the bake time.',
      on: { verified: 'active', roll_back: { target: 'rolling_back', guard: 'not_a_rollback' }, ...work },
    },
    active: {
      description: 'Verified and running; replaced only by a later deployment.',
      on: { supersede: 'superseded', revert: 'rolled_back' },
    },
    rolling_back: {
      description: 'Unhealthy; a rollback deployment is restoring the previous snapshot.',
      on: { revert: 'rolled_back', ...work },
    },
    superseded: { terminal: true, description: 'Replaced by a later promotion.' },
    rolled_back: { terminal: true, description: 'Replaced by a rollback.' },
    rejected: { terminal: true, description: 'An approver said no.' },
    cancelled: { terminal: true, description: 'Withdrawn before it started.' },
    failed: { terminal: true, description: 'Stopped with a reason: a check, a deadline or an operator.' },
  },
} as const satisfies MachineConfig;

/** The deployment machine's transition table type: its states, events, targets and guards. */
export type DeploymentMachineConfig = typeof deploymentTable;

/**
 * The deployment machine, the heart of Railyard: one bundle going into one environment.
 * Every non-terminal state but `active` has a deadline (`timeout`); an operator can `abandon`.
 * A rollback is never rolled back: `roll_back` is guarded by `not_a_rollback`.
 *
 * @example
 * ```ts
 * deploymentMachine.next('awaiting_approval', 'approve'); // 'approved'
 * deploymentMachine.can('active', 'approve'); // false
 * ```
 */
export const deploymentMachine: Machine<DeploymentMachineConfig> = defineMachine(deploymentTable);

/**
 * States in which a deployment holds its environment's in-flight slot (`EnvironmentRecord.inFlight`).
 * A `rolling_back` deployment does not: the rollback deployment restoring its snapshot holds the slot
 * (taking it as it is created, still `approved`). A storage adapter may enforce "at most one deployment
 * per environment in these states" (the PostgreSQL adapter does, with a partial unique index).
 *
 * @example
 * ```ts
 * const holdsSlot = (IN_FLIGHT_STATES as readonly string[]).includes(deployment.status);
 * ```
 */
export const IN_FLIGHT_STATES = ['transferring', 'preflight', 'activating', 'verifying'] as const;
/** States in which a deployment waits in its environment's queue. */
export const QUEUED_STATES = ['requested', 'awaiting_approval', 'approved'] as const;
