import { PolicyError } from '../errors/errors.js';
import { type Actor, identitiesOf } from '../model/actor.js';
import type { BundleRecord } from '../model/bundle.js';
import { authorsOf } from './approvals.js';
import { hasAnyRole, roleRefusal } from './roles.js';

/**
 * Checks that an actor may accept (or withdraw) a project's handover: it holds the handover role,
 * and, to accept, none of its identities is an author of a bundle carrying the card nor a
 * requester of a promotion waiting for it (separation of duties; ids compared normalised).
 * @internal
 */
export function assertMayAccept(input: {
  role: string;
  actor: Actor;
  action: string;
  bundles: readonly BundleRecord[];
  requesters: readonly Actor[];
}): void {
  const { actor, role } = input;
  if (!hasAnyRole(actor, [role])) throw roleRefusal('handover-role', actor, input.action, [role]);
  const mine = new Set(identitiesOf(actor));
  const author = input.bundles.find((bundle) => authorsOf(bundle).some((id) => mine.has(id)));
  if (author) {
    throw new PolicyError(
      'separation-of-duties',
      `${actor.id} built ${author.manifest.project}@${author.manifest.version}; the author of a project cannot accept its handover. Ask another holder of role ${role}.`,
      { actor: actor.id, bundleId: author.id },
    );
  }
  const requester = input.requesters.find((by) => identitiesOf(by).some((id) => mine.has(id)));
  if (requester) {
    throw new PolicyError(
      'separation-of-duties',
      `${actor.id} requested the promotion waiting for this handover; the requester cannot accept it. Ask another holder of role ${role}.`,
      { actor: actor.id },
    );
  }
}
