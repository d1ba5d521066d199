import { AbortedError, TimeoutError } from '../errors/errors.js';
import type { ScenarioStep } from '../model/scenario.js';
import type { ScenarioRun, StepReportIn } from '../model/scenario-run.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import { KIND } from '../runtime/records.js';
import type { StepResult } from '../runtime/step-result.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import { type AttemptOutcome, messageOf, runAttempt, toStepError } from './attempt.js';
import type { ResolvedStep } from './builtins.js';
import type { Execution } from './execution.js';
import { attemptsUsed, failAttempt, resume, succeed } from './step-actions.js';
import { readRun } from './store.js';

type FunctionStep = Extract<ResolvedStep, { kind: 'function' | 'verification' }>;

/** The key the host-work runner knows a step's current attempt by. @internal */
export function attemptKey(run: ScenarioRun, index: number): string {
  const report = run.steps[index];
  return `scenario-step:${run.id}:${index}:${report?.attempts.length ?? 0}`;
}

/** Whether this engine runs (or holds the outcome of) a running step's current attempt. @internal */
export function attemptHere(ex: Execution, index: number): boolean {
  const state = ex.rt.context.host.peek(attemptKey(ex.run, index));
  return state !== undefined && !(state.state === 'done' && state.outcome.stopped);
}

/** Cuts the attempts of the run's running steps short (the run ends): their late results are ignored. @internal */
export function abortAttempts(ex: Execution, reason: string): void {
  ex.run.steps.forEach((step, index) => {
    if (step.status === 'running') ex.rt.context.host.forget(attemptKey(ex.run, index), new AbortedError(reason));
  });
}

/**
 * A running function step, one pass at a time: start its attempt as host work (the run's lease,
 * committed first, is the claim; it covers the step's timeout), wait for it, record its timeout
 * when the clock passes `startedAt + timeoutMs` (the attempt's signal fires and its late result is
 * ignored), or commit what it returned. Answers when the run must wait.
 * @internal
 */
export async function stepAttempt(
  ex: Execution,
  index: number,
  step: ScenarioStep,
  resolved: FunctionStep,
): Promise<StepResult | undefined> {
  const { host, clock } = ex.rt.context;
  const key = attemptKey(ex.run, index);
  const report = ex.run.steps[index] as StepReportIn<'running'>;
  const deadline = Date.parse(report.attempts.at(-1)?.startedAt ?? report.startedAt) + step.timeoutMs;
  const state = host.peek<AttemptOutcome>(key);
  if (state === undefined || (state.state === 'done' && state.outcome.stopped)) {
    if (state) {
      // This engine stopped during the attempt and runs again: the attempt starts over.
      host.forget(key);
      resume(ex, index);
      return undefined;
    }
    ex.renewLease(step.timeoutMs);
    await ex.flush();
    start(ex, index, step, resolved, key);
    return ex.waitUntil(deadline);
  }
  if (state.state === 'running') {
    if (clock.now().getTime() < deadline) return ex.waitUntil(deadline);
    const message = `step did not finish within ${step.timeoutMs} ms`;
    host.forget(key, new TimeoutError(message));
    failAttempt(ex, index, step, { message, code: 'TIMEOUT', retryable: true });
    return undefined;
  }
  host.forget(key);
  const outcome = state.outcome;
  if (!outcome.ok) {
    if (!outcome.aborted) {
      failAttempt(ex, index, step, toStepError(outcome.error));
      return undefined;
    }
    // Aborted by an abort request (or a newer run replacing this one): the run ends, recording why.
    await ex.sync();
    if (!ex.run.abortRequested)
      ex.patch({ abortRequested: { by: SYSTEM_ACTOR, at: ex.now(), reason: `aborted: ${messageOf(outcome.error)}` } });
    return undefined;
  }
  const attempt = outcome.value;
  const current = ex.run.steps[index] as StepReportIn<'running'>;
  if (attempt.logs.length > 0) ex.setStep(index, { ...current, logs: [...current.logs, ...attempt.logs] });
  if (attempt.ok) succeed(ex, index, attempt);
  else failAttempt(ex, index, step, attempt.error);
  return undefined;
}

function start(ex: Execution, index: number, step: ScenarioStep, resolved: FunctionStep, key: string): void {
  const { rt } = ex;
  const run = ex.run;
  const report = run.steps[index] as StepReportIn<'running'>;
  // `abort(runId)` reaches the attempt through this controller, in this process, at once.
  const abort = new AbortController();
  abort.signal.addEventListener('abort', () => rt.context.host.abort(key, abort.signal.reason), { once: true });
  rt.executing.set(run.id, abort);
  rt.context.host.start(
    key,
    (signal) =>
      runAttempt(rt, { run, index, step, resolved, attempt: attemptsUsed(report), signal, logged: report.logs.length }),
    {
      describe: {
        span: 'railyard.step',
        attributes: {
          'railyard.scenario': run.scenario,
          'railyard.scenario.run': run.id,
          'railyard.step': step.type,
          'railyard.step.index': index,
          ...(run.environment ? { 'railyard.environment': run.environment } : {}),
          ...(run.deploymentId ? { 'railyard.deployment.id': run.deploymentId } : {}),
        },
      },
      onSettled: () => {
        if (rt.executing.get(run.id) === abort) rt.executing.delete(run.id);
      },
      release: () => handBack(ex, run.id),
      current: async () => {
        const read = await readRun(rt.context, run.id);
        return read?.value.status === 'running' && read.value.owner === rt.context.engineId;
      },
    },
  );
}

/** The engine stops during an attempt: the run's lease ends now, so that another engine takes it at once. */
async function handBack(ex: Execution, runId: string): Promise<void> {
  const read = await readRun(ex.rt.context, runId);
  if (read?.value.status !== 'running' || read.value.owner !== ex.rt.context.engineId) return;
  const now = ex.rt.context.clock.now().toISOString();
  await new UnitOfWork(ex.rt.context)
    .put(KIND.scenarioRun, runId, read.version, { ...read.value, leaseUntil: now, updatedAt: now })
    .commit()
    .catch(() => undefined);
}
