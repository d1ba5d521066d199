import { PolicyError, type PolicyRule } from '../../errors/errors.js';
import type { Actor } from '../../model/actor.js';
import type { BundleRecord } from '../../model/bundle.js';
import { Deployment } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { activeFreeze } from '../../policy/freeze.js';
import { describeMissing, missingRequirements } from '../../policy/requirements.js';
import { hasAnyRole } from '../../policy/roles.js';
import { isForbiddenDowngrade } from '../../policy/version-rule.js';
import type { EngineContext } from '../../runtime/context.js';
import { KIND, listAll } from '../../runtime/records.js';
import { signatureStatus } from '../bundles/signatures.js';

/** One gate a promotion meets, and where it stands. */
export interface GateResult {
  gate: PolicyRule | 'approvals';
  /** `pass`: open; `block`: refuses the promotion now; `pending`: will need people (approvals). */
  status: 'pass' | 'block' | 'pending';
  reason: string;
  /** When a blocking freeze window ends. */
  opensAt?: string;
  details?: Record<string, unknown>;
}

/**
 * Evaluates every gate a promotion of `bundle` into `environment` meets, without side effects:
 * halted, upstream, freeze (and its override), version rule, signatures, requirements, the queue,
 * and the approvals it will need.
 * @internal
 */
export async function evaluateGates(
  context: EngineContext,
  input: {
    environment: EnvironmentRecord;
    bundle: BundleRecord;
    by?: Actor;
    freezeOverride?: { reason: string };
    /** A deployment already requested, reviewed in place: it does not wait behind itself. */
    self?: string;
  },
): Promise<GateResult[]> {
  const { environment, bundle, by } = input;
  const { definition } = environment;
  const { policy } = definition;
  const label = `${bundle.manifest.project}@${bundle.manifest.version}`;
  const gates: GateResult[] = [];
  const add = (
    gate: GateResult['gate'],
    ok: boolean,
    passReason: string,
    blockReason: string,
    extra: Partial<GateResult> = {},
  ) => gates.push({ gate, status: ok ? 'pass' : 'block', reason: ok ? passReason : blockReason, ...extra });

  add(
    'environment-halted',
    environment.status !== 'halted',
    `${definition.id} is ${environment.status}`,
    `${definition.id} is halted (${environment.statusReason ?? 'no reason recorded'}); an operator must resume it before anything is promoted.`,
  );
  if (policy.requireUpstream && definition.promotesFrom.length > 0) {
    const upstream = await activeUpstream(context, definition.promotesFrom, bundle.id);
    add(
      'upstream',
      upstream !== undefined,
      `${label} has been active in ${upstream}`,
      `Bundle ${label} has not been active in ${definition.promotesFrom.join(' or ')}; promote it there first.`,
      { details: { promotesFrom: definition.promotesFrom } },
    );
  }
  const freeze = activeFreeze(policy, context.clock.now());
  const overrideRoles = policy.freeze.overrideRoles.join(', ') || '(none configured)';
  if (!freeze) add('freeze-window', true, 'no freeze window is in force', '');
  else if (!input.freezeOverride) {
    add(
      'freeze-window',
      false,
      '',
      `${definition.id} is frozen until ${freeze.until}${freeze.reason ? ` (${freeze.reason})` : ''}. Wait, or override with a reason if you hold one of the roles ${overrideRoles}.`,
      {
        opensAt: freeze.until,
        details: { opensAt: freeze.until },
      },
    );
  } else {
    const allowed =
      by !== undefined && policy.freeze.overrideRoles.length > 0 && hasAnyRole(by, policy.freeze.overrideRoles);
    add(
      'freeze-override',
      allowed,
      `freeze until ${freeze.until} overridden by ${by?.id}: ${input.freezeOverride.reason}`,
      `${by?.id ?? 'this actor'} cannot override the freeze on ${definition.id}: it needs one of the roles ${overrideRoles}.`,
    );
  }
  const active = environment.active?.snapshot.version;
  add(
    'no-downgrade',
    !isForbiddenDowngrade(policy, environment.active, bundle.manifest.version),
    active ? `${bundle.manifest.version} is not older than the active ${active}` : 'nothing is active yet',
    `${definition.id} runs ${active}; promoting ${bundle.manifest.version} would be a downgrade. Use rollback to go back.`,
    { details: { active, requested: bundle.manifest.version } },
  );
  const signatures = await signatureStatus(context, bundle.id, policy.signatures);
  add(
    'signatures',
    signatures.missing === 0,
    policy.signatures.required ? `signed by ${signatures.valid.join(', ')}` : 'no signatures required',
    `${definition.id} needs ${policy.signatures.required} signature(s) from its pinned keys (${Object.keys(policy.signatures.keys).join(', ')}); bundle ${label} has ${signatures.valid.length}${signatures.invalid.length ? ` (invalid: ${signatures.invalid.join(', ')})` : ''}. Sign it with bundles.sign.`,
    { details: { valid: signatures.valid, invalid: signatures.invalid, required: policy.signatures.required } },
  );
  const missing = missingRequirements(bundle.manifest.requirements, definition, new Set(context.steps.keys()));
  add(
    'requirements',
    missing === null,
    'every required variable, connection and step type is available',
    missing
      ? `${definition.id} lacks what bundle ${label} requires: ${describeMissing(missing)}. Define them on the environment (or register the step types) and retry.`
      : '',
    { details: { missing } },
  );
  const line = [environment.inFlight, ...environment.queue].filter((id): id is string => id !== null);
  const position = input.self === undefined ? -1 : line.indexOf(input.self);
  const ahead = position >= 0 ? line.slice(0, position) : line;
  add(
    'queue-full',
    position >= 0 || ahead.length === 0 || policy.whenBusy !== 'refuse',
    ahead.length ? `will wait behind ${ahead.join(', ')}` : `${definition.id} is free`,
    `${definition.id} is busy with ${ahead[0]}; its policy refuses to queue. Retry when it is free.`,
  );
  const { required, roles } = policy.approvals;
  gates.push(
    required > 0
      ? {
          gate: 'approvals',
          status: 'pending',
          reason: `needs ${required} approval(s) from ${roles.join(' or ')}, by people other than the requester and the author (${bundle.manifest.createdBy})`,
        }
      : { gate: 'approvals', status: 'pass', reason: 'no approval required' },
  );
  return gates;
}

/**
 * Throws a `PolicyError` naming the first gate that blocks a promotion.
 * @internal
 */
export async function checkPromotionGates(
  context: EngineContext,
  input: { environment: EnvironmentRecord; bundle: BundleRecord; by: Actor; freezeOverride?: { reason: string } },
): Promise<void> {
  const blocked = (await evaluateGates(context, input)).find((gate) => gate.status === 'block');
  if (blocked) throw new PolicyError(blocked.gate as PolicyRule, blocked.reason, blocked.details ?? {});
}

async function activeUpstream(
  context: EngineContext,
  upstreams: readonly string[],
  bundleId: string,
): Promise<string | undefined> {
  for (const upstream of upstreams) {
    const history = await listAll(context, KIND.deployment, Deployment, `${upstream}/`);
    if (
      history.some(
        ({ value }) => value.bundleId === bundleId && (value.status === 'active' || value.status === 'superseded'),
      )
    ) {
      return upstream;
    }
  }
  return undefined;
}
