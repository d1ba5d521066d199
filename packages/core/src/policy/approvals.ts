import { PolicyError } from '../errors/errors.js';
import { type Actor, identitiesOf, normalizeActorId } from '../model/actor.js';
import type { BundleRecord } from '../model/bundle.js';
import type { DeploymentIn } from '../model/deployment.js';
import type { Policy } from '../model/policy.js';
import { hasAnyRole, roleRefusal } from './roles.js';

const who = (actor: Actor) => ({ actor: actor.id, ...(actor.via ? { via: actor.via } : {}) });

/** The identities that authored a bundle: its declared author and the key's actor that pushed it. @internal */
export function authorsOf(bundle: BundleRecord): string[] {
  const authors = [normalizeActorId(bundle.manifest.createdBy)];
  if (bundle.pushedBy) authors.push(...identitiesOf(bundle.pushedBy));
  return authors;
}

/**
 * Checks that an actor may approve a deployment: it holds an approver role, none of its identities
 * (its id, and the agent key's actor it came through) is the requester's or the bundle's author's
 * (separation of duties), it has not approved already, and the digest it approves is the
 * deployment's. Ids are compared normalised (see `normalizeActorId`).
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
    throw roleRefusal('approver-role', actor, `approve ${deployment.id}`, policy.approvals.roles, {
      deploymentId: deployment.id,
    });
  }
  const mine = identitiesOf(actor);
  const requester = identitiesOf(deployment.requestedBy);
  if (mine.some((id) => requester.includes(id))) {
    throw new PolicyError(
      'separation-of-duties',
      `${actor.id} requested ${deployment.id} (as ${deployment.requestedBy.id}${deployment.requestedBy.via ? ` via ${deployment.requestedBy.via}` : ''}) and cannot approve it; ask another approver.`,
      { ...who(actor), as: 'requester', deploymentId: deployment.id },
    );
  }
  const authors = authorsOf(bundle);
  if (mine.some((id) => authors.includes(id))) {
    throw new PolicyError(
      'separation-of-duties',
      `${actor.id} authored or pushed bundle ${bundle.manifest.project}@${bundle.manifest.version} and cannot approve its promotion; ask another approver.`,
      { ...who(actor), as: 'author', deploymentId: deployment.id },
    );
  }
  if (deployment.approvals.some((approval) => identitiesOf(approval.by).some((id) => mine.includes(id)))) {
    throw new PolicyError(
      'distinct-approvers',
      `${actor.id} has already approved ${deployment.id}; approvals must come from distinct people.`,
      { ...who(actor), deploymentId: deployment.id },
    );
  }
  if (digest !== undefined && digest !== deployment.bundleId) {
    throw new PolicyError(
      'approval-digest',
      `The approval by ${actor.id} names bundle ${digest} but ${deployment.id} deploys ${deployment.bundleId}; review the deployment again.`,
      { ...who(actor), deploymentId: deployment.id, expected: deployment.bundleId, got: digest },
    );
  }
}
