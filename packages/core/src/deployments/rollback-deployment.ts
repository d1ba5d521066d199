import { transitionDeployment } from '../machines/deployment-transition.js';
import type { Actor } from '../model/actor.js';
import type { DeploymentIn } from '../model/deployment.js';
import type { EnvironmentRecord, Snapshot } from '../model/environment.js';
import { deploymentIdFor, KIND } from '../runtime/records.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';
import { deadlineFor } from './deadlines.js';

/**
 * Creates a rollback deployment that restores `restores` exactly, already approved (rollbacks
 * are how an environment gets back to safety, so they skip the approval queue), and puts it at
 * the head of the queue. Returns the environment to write and the new deployment.
 * @internal
 */
export function createRollback(
  work: UnitOfWork,
  input: {
    environment: EnvironmentRecord;
    restores: Snapshot;
    rollbackOf: string;
    actor: Actor;
    reason: string;
    automatic: boolean;
    at: string;
    /** Give it the in-flight slot at once (automatic rollback of the deployment holding it). */
    takeSlot: boolean;
  },
): { environment: EnvironmentRecord; rollback: DeploymentIn<'approved'> } {
  const { environment, restores, at, actor } = input;
  const sequence = environment.sequence + 1;
  const id = deploymentIdFor(environment.definition.id, sequence);
  const policy = environment.definition.policy;
  const requested: DeploymentIn<'requested'> = {
    id,
    environment: environment.definition.id,
    kind: 'rollback',
    status: 'requested',
    bundleId: restores.bundleId,
    project: restores.project,
    version: restores.version,
    requestedBy: actor,
    requestedAt: at,
    reason: input.reason,
    automatic: input.automatic,
    rollbackOf: input.rollbackOf,
    restores,
    approvals: [],
    enteredAt: at,
    updatedAt: at,
    deadlineAt: deadlineFor(policy, 'requested', at),
  };
  work.journal({
    at,
    actor,
    type: 'deployment.requested',
    subject: { kind: KIND.deployment, id },
    environment: environment.definition.id,
    deploymentId: id,
    reason: input.reason,
    data: {
      kind: 'rollback',
      automatic: input.automatic,
      rollbackOf: input.rollbackOf,
      bundleId: restores.bundleId,
      version: restores.version,
    },
  });
  const { next, effects } = transitionDeployment(
    requested,
    'auto_approve',
    { at, actor, reason: 'rollbacks need no approval' },
    { deadlineAt: deadlineFor(policy, 'approved', at) },
  );
  work.run(effects, null);
  const queue = input.takeSlot ? environment.queue : [id, ...environment.queue];
  return {
    environment: {
      ...environment,
      sequence,
      queue,
      inFlight: input.takeSlot ? id : environment.inFlight,
      updatedAt: at,
    },
    rollback: next,
  };
}
