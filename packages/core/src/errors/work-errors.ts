import { RailyardError, type RailyardErrorOptions } from './railyard-error.js';

/**
 * Host code (a step, a probe, an activation hook) or a remote call did not finish in time; it was
 * asked to stop through its `AbortSignal`. Retryable unless said otherwise.
 *
 * @example
 * ```ts
 * throw new TimeoutError('step "smoke" did not finish within 5000 ms', { details: { timeoutMs: 5000 } });
 * ```
 */
export class TimeoutError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('TIMEOUT', message, { ...options, retryable: options.retryable ?? true });
  }
}

/**
 * Work that was asked to stop before it finished: a scenario run aborted or replaced by a newer
 * run, a poll or an attempt whose time is up, a worker stopping. It is the `reason` of the
 * `AbortSignal` host code receives; host code should stop and let it propagate. Not retryable.
 *
 * @example
 * ```ts
 * controller.abort(new AbortedError('replaced by a newer run'));
 * ```
 */
export class AbortedError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('ABORTED', message, options);
  }
}

/**
 * A built-in verification check found what it checks unhealthy (for instance
 * `railyard/check-monitors` with a critical monitor). Retryable: a step with retries checks again
 * after its back-off. `details` says what was found.
 *
 * @example
 * ```ts
 * throw new CheckFailedError('production is critical: latency above 2 s', { details: { environment: 'production' } });
 * ```
 */
export class CheckFailedError extends RailyardError {
  constructor(message: string, options: RailyardErrorOptions = {}) {
    super('CHECK_FAILED', message, { ...options, retryable: options.retryable ?? true });
  }
}

/**
 * `settle()` ran its whole budget of passes and work was still progressing: something keeps
 * changing at the same instant (a deployment or scenario looping). `details.maxSteps` is the budget.
 *
 * @example
 * ```ts
 * try {
 *   await railyard.settle({ maxSteps: 100 });
 * } catch (error) {
 *   if (error instanceof SettleLimitError) console.log(error.details.maxSteps);
 * }
 * ```
 */
export class SettleLimitError extends RailyardError {
  constructor(maxSteps: number) {
    super(
      'SETTLE_LIMIT',
      `settle() was still progressing after ${maxSteps} passes at the same clock time: something is looping. Read railyard.journal (the newest entries repeat) and railyard.explain(id) to find it, or raise settle({ maxSteps }) if the work is really that long.`,
      { details: { maxSteps } },
    );
  }
}

/**
 * A secret that host code needs could not be read: the host's resolver returned nothing for it,
 * threw, or no resolver was given (`createRailyard({ secrets })`). The step, probe or activation
 * hook that needed it fails (a probe reads inconclusive). `details.secret` names the secret (never
 * its value) and `details.environment` the environment whose settings reference it. Retryable
 * when the resolver threw (a secret store may be briefly unreachable), not when the secret is missing.
 *
 * @example
 * ```ts
 * throw new SecretUnavailableError({ secret: 'prod-db-password', environment: 'production', reason: 'missing' });
 * ```
 */
export class SecretUnavailableError extends RailyardError {
  constructor(
    info: { secret: string; environment: string; reason: 'missing' | 'resolver-failed' | 'no-resolver' },
    options: Pick<RailyardErrorOptions, 'cause'> = {},
  ) {
    const why = {
      missing: 'the secret resolver has no value for it; add the secret to the store the resolver reads',
      'resolver-failed': 'the secret resolver threw while reading it; check the secret store and retry',
      'no-resolver': 'this Railyard has no secret resolver; pass createRailyard({ secrets: { resolve } })',
    }[info.reason];
    super(
      'SECRET_UNAVAILABLE',
      `Secret "${info.secret}" referenced by environment "${info.environment}" is unavailable: ${why} (docs/secrets.md).`,
      { ...options, retryable: info.reason === 'resolver-failed', details: { ...info } },
    );
  }
}
