import { moveStep, transitionStep } from '../machines/scenario-transitions.js';
import type { ScenarioStep } from '../model/scenario.js';
import type { AttemptReport, StepError, StepReport, StepReportIn } from '../model/scenario-run.js';
import { toStepError } from './attempt.js';
import type { ResolvedStep } from './builtins.js';
import { conditionHolds, outcomeSoFar, viewOf } from './conditions.js';
import type { Execution } from './execution.js';

/** Whether a pending step runs, is skipped (and why), or cannot be decided (its predicate failed). @internal */
export type Decision = { run: true } | { run: false; reason: string } | { error: StepError };

/** Evaluates a step's run condition against the run so far (predicates are host code). @internal */
export async function decide(ex: Execution, step: ScenarioStep): Promise<Decision> {
  const soFar = outcomeSoFar(ex.run.steps);
  const holds = conditionHolds(step.when, soFar);
  if (holds === true) return { run: true };
  if (holds === false) {
    const why =
      step.when === 'never'
        ? 'its condition is "never"'
        : step.when === 'on-success'
          ? 'an earlier step failed'
          : `the outcome so far is ${soFar.outcome}`;
    return { run: false, reason: why };
  }
  const name = typeof step.when === 'object' && 'predicate' in step.when ? step.when.predicate : '';
  const predicate = ex.rt.conditions.get(name);
  if (!predicate) {
    return {
      error: {
        message: `run condition "${name}" is not registered on this site: register it with scenarios.registerCondition`,
        code: 'VALIDATION',
        retryable: false,
      },
    };
  }
  try {
    const { run } = ex;
    const view = viewOf({ ...run, runId: run.id });
    return (await predicate(view)) ? { run: true } : { run: false, reason: `predicate "${name}" answered false` };
  } catch (error) {
    return { error: { ...toStepError(error), retryable: false } };
  }
}

/** How many attempts a step has used (interrupted ones, rerun after an engine stopped, do not count). @internal */
export function attemptsUsed(step: StepReport): number {
  return step.attempts.filter((a) => !a.interrupted).length;
}

/**
 * Moves a pending or retrying step to `running`: a function step gets a new attempt; a wait gets
 * its end; a `run-scenario` step gets the id of the run it will start (recorded before the run
 * exists, so that a restart creates the same run rather than another).
 * @internal
 */
export function begin(ex: Execution, index: number, step: ScenarioStep, resolved: ResolvedStep): void {
  const report = ex.run.steps[index] as StepReportIn<'pending' | 'retrying'>;
  const at = ex.now();
  const startedAt = report.status === 'retrying' ? report.startedAt : at;
  if (resolved.kind === 'wait') {
    const ms = Number((step.params as { ms?: unknown }).ms ?? 0);
    const waitUntil = new Date(Date.parse(at) + ms).toISOString();
    ex.setStep(index, moveStep(report, 'start', { startedAt, waitUntil }));
    return;
  }
  const attempt: AttemptReport = { attempt: attemptsUsed(report) + 1, startedAt: at };
  const attempts = [...report.attempts, attempt];
  if (resolved.kind === 'child') {
    const deadlineAt = new Date(Date.parse(at) + step.timeoutMs).toISOString();
    ex.setStep(index, moveStep(report, 'start', { startedAt, attempts, childRunId: ex.rt.newRunId(), deadlineAt }));
    return;
  }
  ex.setStep(index, moveStep(report, 'start', { startedAt, attempts }));
}

/** A function step left `running` by an engine that stopped or lost its lease: its attempt runs again. @internal */
export function resume(ex: Execution, index: number): void {
  const report = ex.run.steps[index] as StepReportIn<'running'>;
  const at = ex.now();
  const last = report.attempts.at(-1);
  const attempts = report.attempts.slice(0, -1);
  if (last)
    attempts.push({ ...last, interrupted: true, durationMs: Math.max(0, Date.parse(at) - Date.parse(last.startedAt)) });
  attempts.push({ attempt: attemptsUsed({ ...report, attempts }) + 1, startedAt: at });
  ex.setStep(index, transitionStep(report, 'resume', { startedAt: report.startedAt, attempts }));
}

/** Records the end of the current attempt (duration, error) on a running step's report. @internal */
export function endAttempt(report: StepReportIn<'running'>, at: string, error?: StepError): AttemptReport[] {
  const attempts = report.attempts.slice();
  const last = attempts.pop();
  if (last) {
    const durationMs = Math.max(0, Date.parse(at) - Date.parse(last.startedAt));
    attempts.push({ ...last, durationMs, ...(error ? { error } : {}) });
  }
  return attempts;
}

/** A running step succeeded. @internal */
export function succeed(
  ex: Execution,
  index: number,
  result: { output?: unknown; warning?: string; variables?: Record<string, unknown> },
): void {
  const report = ex.run.steps[index] as StepReportIn<'running'>;
  const at = ex.now();
  const durationMs = Math.max(0, Date.parse(at) - Date.parse(report.startedAt));
  if (result.variables) ex.patch({ variables: { ...ex.run.variables, ...result.variables } });
  ex.setStep(
    index,
    transitionStep(report, 'succeed', {
      startedAt: report.startedAt,
      finishedAt: at,
      durationMs,
      attempts: endAttempt(report, at),
      ...(result.output === undefined ? {} : { output: result.output }),
      ...(result.warning === undefined ? {} : { warning: result.warning }),
    }),
  );
}

/**
 * A running step's attempt failed: retry after the backoff delay when the error is retryable and
 * retries are left, else fail the step (counted as its `failureAs` says).
 * @internal
 */
export function failAttempt(ex: Execution, index: number, step: ScenarioStep, error: StepError): void {
  const report = ex.run.steps[index] as StepReportIn<'running'>;
  const at = ex.now();
  const attempts = endAttempt(report, at, error);
  const used = attempts.filter((a) => !a.interrupted).length;
  if (error.retryable && used <= step.retries) {
    const delay = Math.min(step.retryDelayMs * step.backoffFactor ** (used - 1), step.maxRetryDelayMs);
    const nextAttemptAt = new Date(Date.parse(at) + delay).toISOString();
    ex.setStep(index, transitionStep(report, 'retry', { startedAt: report.startedAt, nextAttemptAt, error, attempts }));
    return;
  }
  ex.setStep(index, transitionStep(report, 'fail', { ...failedFields(report, at, step, error), attempts }));
}

/** The fields of a step that failed now, counted as its `failureAs` says. @internal */
export function failedFields(report: { startedAt: string }, at: string, step: ScenarioStep, error: StepError) {
  return {
    startedAt: report.startedAt,
    finishedAt: at,
    durationMs: Math.max(0, Date.parse(at) - Date.parse(report.startedAt)),
    error,
    countsAs: step.failureAs,
    continued: step.continueOnError,
  };
}

/** Fails a pending step that cannot start (unknown type, undecidable condition). @internal */
export function failBeforeStart(ex: Execution, index: number, step: ScenarioStep, error: StepError): void {
  const report = ex.run.steps[index] as StepReportIn<'pending'>;
  ex.setStep(index, transitionStep(report, 'start', { startedAt: ex.now() }));
  failAttempt(ex, index, { ...step, retries: 0 }, { ...error, retryable: false });
}
