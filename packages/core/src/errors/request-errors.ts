import { RailyardError, type RailyardErrorOptions } from './railyard-error.js';

/**
 * Input that does not match its schema. `details.issues` lists each field path and what was expected.
 *
 * @example
 * ```ts
 * throw new ValidationError('promote: "to" must be an environment id', { details: { issues: [] } });
 * ```
 */
export class ValidationError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('VALIDATION', message, options);
  }
}

/**
 * A command named something that does not exist (reads return `null` instead).
 *
 * @example
 * ```ts
 * throw new NotFoundError('deployment', 'production/000001');
 * ```
 */
export class NotFoundError extends RailyardError {
  constructor(kind: string, id: string, hint = '') {
    super('NOT_FOUND', `${kind} "${id}" does not exist.${hint ? ` ${hint}` : ''}`, {
      details: { kind, id },
    });
  }
}

/**
 * A compare-and-swap write whose expected version is stale. Re-read and try again.
 *
 * @example
 * ```ts
 * throw new VersionConflictError({ kind: 'environment', id: 'production', expected: 3, actual: 4 });
 * ```
 */
export class VersionConflictError extends RailyardError {
  constructor(info: { kind: string; id: string; expected: number | null; actual: number | null }) {
    const expected = info.expected === null ? 'absent' : `version ${info.expected}`;
    const actual = info.actual === null ? 'absent' : `version ${info.actual}`;
    super(
      'VERSION_CONFLICT',
      `${info.kind} "${info.id}" was expected at ${expected} but is at ${actual}: another writer got there first. Re-read it and retry.`,
      { retryable: true, details: { ...info } },
    );
  }
}

/**
 * The name of a policy rule that can refuse a request.
 *
 * @example
 * ```ts
 * const rule: PolicyRule = 'separation-of-duties';
 * ```
 */
export type PolicyRule =
  | 'approver-role'
  | 'separation-of-duties'
  | 'distinct-approvers'
  | 'approval-digest'
  | 'freeze-window'
  | 'freeze-override'
  | 'no-downgrade'
  | 'requirements'
  | 'upstream'
  | 'environment-halted'
  | 'queue-full'
  | 'handover'
  | 'handover-role'
  | 'actor-role'
  | 'signatures';

/**
 * A request refused by an environment's policy. `details.rule` names the rule.
 *
 * @example
 * ```ts
 * throw new PolicyError('separation-of-duties', 'The requester cannot approve their own promotion.');
 * ```
 */
export class PolicyError extends RailyardError {
  /** The rule that refused the request. */
  readonly rule: PolicyRule;

  constructor(rule: PolicyRule, message: string, details: Record<string, unknown> = {}) {
    super('POLICY_DENIED', `[${rule}] ${message}`, { details: { rule, ...details } });
    this.rule = rule;
  }
}

/**
 * A command that is not legal in the record's current state.
 *
 * @example
 * ```ts
 * throw new IllegalTransitionError({ machine: 'deployment', from: 'active', event: 'approve' });
 * ```
 */
export class IllegalTransitionError extends RailyardError {
  constructor(info: { machine: string; from: string; event: string; id?: string; guard?: string }) {
    const why = info.guard ? `its guard "${info.guard}" does not hold` : 'it has moved on (or has not got there yet)';
    super(
      'ILLEGAL_TRANSITION',
      `${info.machine}${info.id ? ` "${info.id}"` : ''} cannot "${info.event}" while "${info.from}": ${why}. Read its current state${info.machine === 'deployment' ? ' (railyard.explain(id) says what it waits for)' : ''} and act on that.`,
      { details: { ...info } },
    );
  }
}

/**
 * An idempotency key reused for a different request. `details` names what the key was first used for.
 *
 * @example
 * ```ts
 * throw new IdempotencyConflictError('Key "churn-1.4.0" was used with another bundle; use a new key.', {
 *   details: { deploymentId: 'production/000007', bundleId: 'sha256:…' },
 * });
 * ```
 */
export class IdempotencyConflictError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('IDEMPOTENCY_CONFLICT', message, options);
  }
}
