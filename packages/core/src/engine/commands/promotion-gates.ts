import { PolicyError } from '../../contracts/errors.js';
import type { Actor } from '../../model/actor.js';
import type { BundleRecord } from '../../model/bundle.js';
import { Deployment } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { activeFreeze } from '../../policy/freeze.js';
import { describeMissing, missingRequirements } from '../../policy/requirements.js';
import { hasAnyRole } from '../../policy/roles.js';
import { isForbiddenDowngrade } from '../../policy/version-rule.js';
import type { EngineContext } from '../context.js';
import { KIND, listAll } from '../records.js';
import { signatureStatus } from './signatures.js';

/**
 * Checks the gates a promotion must pass when it is requested: the environment is not halted, the
 * bundle was active upstream, no freeze (or an authorised override), no downgrade, requirements met.
 * Throws a `PolicyError` naming the first rule that refuses.
 * @internal
 */
export async function checkPromotionGates(
  context: EngineContext,
  input: { environment: EnvironmentRecord; bundle: BundleRecord; by: Actor; freezeOverride?: { reason: string } },
): Promise<void> {
  const { environment, bundle, by } = input;
  const { definition } = environment;
  const { policy } = definition;
  if (environment.status === 'halted') {
    throw new PolicyError(
      'environment-halted',
      `${definition.id} is halted (${environment.statusReason ?? 'no reason recorded'}); an operator must resume it before anything is promoted.`,
    );
  }
  if (
    policy.requireUpstream &&
    definition.promotesFrom.length > 0 &&
    !(await wasActiveUpstream(context, definition.promotesFrom, bundle.id))
  ) {
    throw new PolicyError(
      'upstream',
      `Bundle ${bundle.manifest.project}@${bundle.manifest.version} has not been active in ${definition.promotesFrom.join(' or ')}; promote it there first.`,
      { promotesFrom: definition.promotesFrom },
    );
  }
  const freeze = activeFreeze(policy, context.clock.now());
  if (freeze) {
    if (!input.freezeOverride) {
      throw new PolicyError(
        'freeze-window',
        `${definition.id} is frozen until ${freeze.until}${freeze.reason ? ` (${freeze.reason})` : ''}. Wait, or override with a reason if you hold one of the roles ${policy.freeze.overrideRoles.join(', ') || '(none configured)'}.`,
        { opensAt: freeze.until },
      );
    }
    if (policy.freeze.overrideRoles.length === 0 || !hasAnyRole(by, policy.freeze.overrideRoles)) {
      throw new PolicyError(
        'freeze-override',
        `${by.id} cannot override the freeze on ${definition.id}: it needs one of the roles ${policy.freeze.overrideRoles.join(', ') || '(none configured)'}.`,
      );
    }
  }
  if (isForbiddenDowngrade(policy, environment.active, bundle.manifest.version)) {
    throw new PolicyError(
      'no-downgrade',
      `${definition.id} runs ${environment.active?.snapshot.version}; promoting ${bundle.manifest.version} would be a downgrade. Use rollback to go back.`,
      { active: environment.active?.snapshot.version, requested: bundle.manifest.version },
    );
  }
  const signatures = await signatureStatus(context, bundle.id, policy.signatures);
  if (signatures.missing > 0) {
    throw new PolicyError(
      'signatures',
      `${definition.id} needs ${policy.signatures.required} signature(s) from its pinned keys (${Object.keys(policy.signatures.keys).join(', ')}); bundle ${bundle.manifest.project}@${bundle.manifest.version} has ${signatures.valid.length}${signatures.invalid.length ? ` (invalid: ${signatures.invalid.join(', ')})` : ''}. Sign it with bundles.sign.`,
      { valid: signatures.valid, invalid: signatures.invalid, required: policy.signatures.required },
    );
  }
  const missing = missingRequirements(bundle.manifest.requirements, definition, new Set(context.steps.keys()));
  if (missing) {
    throw new PolicyError(
      'requirements',
      `${definition.id} lacks what bundle ${bundle.manifest.project}@${bundle.manifest.version} requires: ${describeMissing(missing)}. Define them on the environment (or register the step types) and retry.`,
      { missing },
    );
  }
}

async function wasActiveUpstream(
  context: EngineContext,
  upstreams: readonly string[],
  bundleId: string,
): Promise<boolean> {
  for (const upstream of upstreams) {
    const history = await listAll(context, KIND.deployment, Deployment, `${upstream}/`);
    if (
      history.some(
        ({ value }) => value.bundleId === bundleId && (value.status === 'active' || value.status === 'superseded'),
      )
    ) {
      return true;
    }
  }
  return false;
}
