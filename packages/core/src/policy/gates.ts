import type { PolicyRule } from '../errors/errors.js';
import type { Actor } from '../model/actor.js';
import type { BundleManifest } from '../model/bundle.js';
import type { EnvironmentRecord } from '../model/environment.js';
import { activeFreeze } from './freeze.js';
import type { HandoverCheck } from './handover.js';
import { describeMissing, missingRequirements } from './requirements.js';
import { hasAnyRole } from './roles.js';
import { isForbiddenDowngrade } from './version-rule.js';

/** One gate a promotion meets, and where it stands. */
export interface GateResult {
  /** The gate's name. */
  gate: PolicyRule | 'approvals';
  /** `pass`: open; `block`: refuses the promotion now; `pending`: will need people (approvals). */
  status: 'pass' | 'block' | 'pending';
  /** Why it stands where it does, for people. */
  reason: string;
  /** When a blocking freeze window ends. */
  opensAt?: string;
  /** Facts behind the result (missing roles, keys, versions…). */
  details?: Record<string, unknown>;
}

/**
 * Where gates are evaluated: `promote` when a promotion is requested (and, without side effects,
 * by `plan` and `explain`), `preflight` just before the active pointer moves.
 */
export type GateStage = 'promote' | 'preflight';

/** Everything the gates read, gathered beforehand: the gates themselves read no store. */
export interface GateFacts {
  environment: EnvironmentRecord;
  bundle: { id: string; manifest: BundleManifest };
  now: Date;
  /** Who asks (the requester); absent for a plan without an actor. */
  by?: Actor;
  /** A freeze override asked for (at `promote`) or granted (at `preflight`). */
  freezeOverride?: { reason?: string };
  /** The bundle's signatures checked against the environment's pinned keys. */
  signatures: { valid: string[]; invalid: string[]; revoked: string[]; missing: number };
  /** The step types this engine has registered. */
  stepTypes: ReadonlySet<string>;
  /** An upstream environment the bundle has been active in, if any (read only when the policy requires it). */
  upstream?: string;
  /** A deployment already requested, reviewed in place: it does not wait behind itself. */
  self?: string;
  /** Where the project's handover stands (read only when the policy has a handover gate). */
  handover?: HandoverCheck;
}

/** One gate: its id, the stages that evaluate it, and its check (`undefined` when it does not apply). */
export interface Gate {
  id: GateResult['gate'];
  stages: readonly GateStage[];
  check(facts: GateFacts): Omit<GateResult, 'gate'> | undefined;
}

const label = (facts: GateFacts) => `${facts.bundle.manifest.project}@${facts.bundle.manifest.version}`;
const pass = (reason: string, extra: Partial<GateResult> = {}) => ({ status: 'pass' as const, reason, ...extra });
const block = (reason: string, extra: Partial<GateResult> = {}) => ({ status: 'block' as const, reason, ...extra });
const overrideRoles = (facts: GateFacts) =>
  facts.environment.definition.policy.freeze.overrideRoles.join(', ') || '(none configured)';

/**
 * The one table of gates a promotion meets, in the order they are reported. `promote` refuses a
 * promotion at the first blocking gate (a `PolicyError` whose `rule` is the gate's id); `plan` and
 * `explain` show every gate of the `promote` stage; `preflight` fails the deployment at the first
 * blocking gate of its stage (the failure's `code` is the gate's id), with the same message.
 *
 * @example
 * ```ts
 * GATES.filter((gate) => gate.stages.includes('preflight')).map((gate) => gate.id);
 * // ['freeze-window', 'no-downgrade', 'signatures', 'requirements']
 * ```
 */
export const GATES: readonly Gate[] = [
  {
    id: 'environment-halted',
    stages: ['promote'],
    check: ({ environment }) =>
      environment.status !== 'halted'
        ? pass(`${environment.definition.id} is ${environment.status}`)
        : block(
            `${environment.definition.id} is halted (${environment.statusReason ?? 'no reason recorded'}); an operator must resume it before anything is promoted.`,
          ),
  },
  {
    id: 'upstream',
    stages: ['promote'],
    check: (facts) => {
      const { definition } = facts.environment;
      if (!definition.policy.requireUpstream || definition.promotesFrom.length === 0) return undefined;
      const details = { promotesFrom: definition.promotesFrom };
      return facts.upstream !== undefined
        ? pass(`${label(facts)} has been active in ${facts.upstream}`, { details })
        : block(
            `Bundle ${label(facts)} has not been active in ${definition.promotesFrom.join(' or ')}; promote it there first.`,
            { details },
          );
    },
  },
  {
    id: 'freeze-window',
    stages: ['promote', 'preflight'],
    check: (facts) => {
      const freeze = activeFreeze(facts.environment.definition.policy, facts.now);
      if (!freeze) return pass('no freeze window is in force');
      // Overridden: the freeze-override gate decided who may, when the promotion was requested.
      if (facts.freezeOverride) return undefined;
      return block(
        `${facts.environment.definition.id} is frozen until ${freeze.until}${freeze.reason ? ` (${freeze.reason})` : ''}. Wait, or override with a reason if you hold one of the roles ${overrideRoles(facts)}.`,
        { opensAt: freeze.until, details: { opensAt: freeze.until } },
      );
    },
  },
  {
    id: 'freeze-override',
    stages: ['promote'],
    check: (facts) => {
      const { policy, id } = facts.environment.definition;
      const freeze = activeFreeze(policy, facts.now);
      if (!freeze || !facts.freezeOverride) return undefined;
      const { by } = facts;
      const allowed = by !== undefined && hasAnyRole(by, policy.freeze.overrideRoles);
      return allowed
        ? pass(`freeze until ${freeze.until} overridden by ${by?.id}: ${facts.freezeOverride.reason}`)
        : block(
            `${by?.id ?? 'this actor'} cannot override the freeze on ${id}: it needs one of the roles ${overrideRoles(facts)}.`,
            { details: { roles: policy.freeze.overrideRoles, until: freeze.until } },
          );
    },
  },
  {
    id: 'no-downgrade',
    stages: ['promote', 'preflight'],
    check: ({ environment, bundle }) => {
      const active = environment.active?.snapshot.version;
      const requested = bundle.manifest.version;
      const details = { active, requested };
      return !isForbiddenDowngrade(environment.definition.policy, environment.active, requested)
        ? pass(active ? `${requested} is not older than the active ${active}` : 'nothing is active yet', { details })
        : block(
            `${environment.definition.id} runs ${active}; promoting ${requested} would be a downgrade. Use rollback to go back.`,
            { details },
          );
    },
  },
  {
    id: 'signatures',
    stages: ['promote', 'preflight'],
    check: (facts) => {
      const { policy, id } = facts.environment.definition;
      const { valid, invalid, revoked, missing } = facts.signatures;
      const details = { valid, invalid, revoked, required: policy.signatures.required };
      return missing === 0
        ? pass(policy.signatures.required ? `signed by ${valid.join(', ')}` : 'no signatures required', { details })
        : block(
            `${id} needs ${policy.signatures.required} signature(s) from its pinned keys (${Object.keys(policy.signatures.keys).join(', ')}); bundle ${label(facts)} has ${valid.length}${invalid.length ? ` (invalid: ${invalid.join(', ')})` : ''}${revoked.length ? ` (revoked keys: ${revoked.join(', ')})` : ''}. Sign it with bundles.sign.`,
            { details },
          );
    },
  },
  {
    id: 'requirements',
    stages: ['promote', 'preflight'],
    check: (facts) => {
      const { definition } = facts.environment;
      const missing = missingRequirements(facts.bundle.manifest.requirements, definition, facts.stepTypes);
      return missing === null
        ? pass('every required variable, connection and step type is available', { details: { missing } })
        : block(
            `${definition.id} lacks what bundle ${label(facts)} requires: ${describeMissing(missing)}. Define them on the environment (or register the step types) and retry.`,
            { details: { missing } },
          );
    },
  },
  {
    id: 'queue-full',
    stages: ['promote'],
    check: ({ environment, self }) => {
      const { id, policy } = environment.definition;
      const line = [environment.inFlight, ...environment.queue].filter((queued): queued is string => queued !== null);
      const position = self === undefined ? -1 : line.indexOf(self);
      const ahead = position >= 0 ? line.slice(0, position) : line;
      return position >= 0 || ahead.length === 0 || policy.whenBusy !== 'refuse'
        ? pass(ahead.length ? `will wait behind ${ahead.join(', ')}` : `${id} is free`)
        : block(`${id} is busy with ${ahead[0]}; its policy refuses to queue. Retry when it is free.`);
    },
  },
  {
    id: 'handover',
    stages: ['promote'],
    check: ({ environment, handover }) => {
      const gate = environment.definition.policy.handover;
      if (!gate || !handover) return undefined;
      const details = {
        role: gate.role,
        owners: environment.definition.owners,
        changed: handover.changed,
        cardDiff: handover.diff,
        ...(handover.cardDigest ? { cardDigest: handover.cardDigest } : {}),
      };
      if (handover.status === 'pass') return pass(handover.reason, { details });
      if (handover.status === 'no-card') return block(handover.reason, { details });
      const owners = environment.definition.owners.length
        ? ` (owners: ${environment.definition.owners.join(', ')})`
        : '';
      const reason = `waiting for handover acceptance by role ${gate.role}${owners}: ${handover.reason}`;
      // With approvals, the deployment waits and approve refuses until accepted; without, nothing
      // waits for people, so the promotion itself is refused.
      return environment.definition.policy.approvals.required > 0
        ? { status: 'pending', reason, details }
        : block(`${reason}. Accept the card (handovers.accept) and promote again.`, { details });
    },
  },
  {
    id: 'approvals',
    stages: ['promote'],
    check: ({ environment, bundle }) => {
      const { required, roles } = environment.definition.policy.approvals;
      return required > 0
        ? {
            status: 'pending',
            reason: `needs ${required} approval(s) from ${roles.join(' or ')}, by people other than the requester and the author (${bundle.manifest.createdBy})`,
          }
        : pass('no approval required');
    },
  },
];

/**
 * Evaluates the gates of one stage against gathered facts, in table order, without side effects.
 *
 * @example
 * ```ts
 * const blocked = runGates('preflight', facts).find((gate) => gate.status === 'block');
 * ```
 */
export function runGates(stage: GateStage, facts: GateFacts): GateResult[] {
  const results: GateResult[] = [];
  for (const gate of GATES) {
    if (!gate.stages.includes(stage)) continue;
    const result = gate.check(facts);
    if (result) results.push({ gate: gate.id, ...result });
  }
  return results;
}
