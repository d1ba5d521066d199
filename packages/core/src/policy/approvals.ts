import { PolicyError } from '../errors/errors.js';
import type { Actor } from '../model/actor.js';
import type { BundleRecord } from '../model/bundle.js';
import type { DeploymentIn } from '../model/deployment.js';
import type { Policy } from '../model/policy.js';
import { hasAnyRole } from './roles.js';

/**
 * Checks that an actor may approve a deployment: it holds an approver role, it is neither the
 * requester nor the bundle's author (separation of duties), it has not approved already, and the
 * digest it approves is the deployment's.
 *
 * @example
 * ```ts
 * assertMayApprove({ policy, deployment, bundle, actor: operator, digest });
 * ```
 */
export function assertMayApprove(input: {
  policy: Policy;
  deployment: DeploymentIn<'awaiting_approval'>;
  bundle: BundleRecord;
  actor: Actor;
  digest?: string;
}): void {
  const { policy, deployment, bundle, actor, digest } = input;
  if (!hasAnyRole(actor, policy.approvals.roles)) {
    throw new PolicyError(
      'approver-role',
      `${actor.id} cannot approve ${deployment.id}: approvals into ${deployment.environment} need one of the roles ${policy.approvals.roles.join(', ')}.`,
      { actor: actor.id, roles: policy.approvals.roles },
    );
  }
  if (actor.id === deployment.requestedBy.id) {
    throw new PolicyError(
      'separation-of-duties',
      `${actor.id} requested ${deployment.id} and cannot approve it; ask another approver.`,
      { actor: actor.id, as: 'requester' },
    );
  }
  if (actor.id === bundle.manifest.createdBy) {
    throw new PolicyError(
      'separation-of-duties',
      `${actor.id} authored bundle ${bundle.manifest.project}@${bundle.manifest.version} and cannot approve its promotion; ask another approver.`,
      { actor: actor.id, as: 'author' },
    );
  }
  if (deployment.approvals.some((approval) => approval.by.id === actor.id)) {
    throw new PolicyError(
      'distinct-approvers',
      `${actor.id} has already approved ${deployment.id}; approvals must come from distinct people.`,
      {
        actor: actor.id,
      },
    );
  }
  if (digest !== undefined && digest !== deployment.bundleId) {
    throw new PolicyError(
      'approval-digest',
      `The approval names bundle ${digest} but ${deployment.id} deploys ${deployment.bundleId}; review the deployment again.`,
      { expected: deployment.bundleId, got: digest },
    );
  }
}
