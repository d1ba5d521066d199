import { isRailyardError, ValidationError } from '../errors/errors.js';
import { scenarioStepMachine } from '../machines/scenario-step-machine.js';
import { moveStep, transitionStep } from '../machines/scenario-transitions.js';
import type { ScenarioRunIn, StepReportIn } from '../model/scenario-run.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import type { Read } from '../runtime/read.js';
import { progressed, type StepResult } from '../runtime/step-result.js';
import { runAttempt } from './attempt.js';
import { type ResolvedStep, resolveStep } from './builtins.js';
import { followChild } from './child-runs.js';
import { Execution, LostRunError } from './execution.js';
import { abortAbandoned, finishRun } from './finish.js';
import type { ScenarioRuntime } from './runtime.js';
import { begin, decide, failAttempt, failBeforeStart, failedFields, resume, succeed } from './step-actions.js';
import { readRun } from './store.js';

/**
 * Advances one running run as far as it can go now: this engine's own run, or one whose lease
 * expired (taken over by compare-and-swap). Steps run in order until the run must wait (a retry
 * delay, a wait step, another run) or ends. Every change is committed before host code is awaited,
 * so a crash loses at most the attempt in progress, which the next engine runs again.
 * @internal
 */
export async function advanceRun(rt: ScenarioRuntime, runId: string, stopSignal: AbortSignal): Promise<StepResult> {
  if (rt.executing.has(runId)) return { progressed: false };
  const read = await readRun(rt.context, runId);
  if (read?.value.status !== 'running') return { progressed: false };
  const run = read.value;
  const mine = run.owner === rt.context.engineId;
  const leaseEnd = Date.parse(run.leaseUntil);
  if (!mine && leaseEnd > rt.context.clock.now().getTime()) return { progressed: false, nextAt: leaseEnd };
  const definition = await rt.cache.revision(rt.context, run.scenario, run.revision);
  const controller = new AbortController();
  const onStop = () => controller.abort(stopSignal.reason);
  stopSignal.addEventListener('abort', onStop, { once: true });
  rt.executing.set(runId, controller);
  const execution = new Execution(
    rt,
    read as Read<ScenarioRunIn<'running'>>,
    definition,
    controller.signal,
    stopSignal,
  );
  try {
    return await drive(execution);
  } catch (error) {
    if (error instanceof LostRunError || isRailyardError(error, 'VERSION_CONFLICT')) return progressed;
    throw error;
  } finally {
    rt.executing.delete(runId);
    stopSignal.removeEventListener('abort', onStop);
    await abortAbandoned(execution);
  }
}

async function drive(ex: Execution): Promise<StepResult> {
  const { rt } = ex;
  const takeover = ex.run.owner !== rt.context.engineId;
  ex.run.steps.forEach((step, index) => {
    const kind = resolveStep(rt, ex.definition.steps[index]?.type ?? '')?.kind;
    if (step.status === 'running' && (kind === 'function' || kind === 'verification')) resume(ex, index);
  });
  if (takeover) ex.renewLease();
  for (;;) {
    const run = ex.run;
    if (run.abortRequested) return finishRun(ex, 'abort');
    if (rt.context.clock.now().getTime() >= Date.parse(run.deadlineAt)) return finishRun(ex, 'time_out');
    const index = run.steps.findIndex((s) => !scenarioStepMachine.isTerminal(s.status));
    if (index < 0) return finishRun(ex, 'outcome');
    const report = run.steps[index] as StepReportIn<'pending' | 'running' | 'retrying'>;
    const step = ex.definition.steps[index];
    if (!step)
      throw new ValidationError(
        `scenario run ${run.id}: step ${index} has no definition (the scenario changed under the run); abort the run and start a new one.`,
      );
    const resolved = resolveStep(rt, step.type);
    if (!resolved) {
      // Possible when engines register different code: the engine that runs the step decides.
      const error = {
        message: `step type "${step.type}" is not registered on this site: register it with scenarios.registerStep`,
        code: 'VALIDATION',
        retryable: false,
      };
      if (report.status === 'pending') failBeforeStart(ex, index, step, error);
      else if (report.status === 'running') failAttempt(ex, index, { ...step, retries: 0 }, error);
      else ex.setStep(index, moveStep(report, 'fail', failedFields(report, ex.now(), step, error)));
      continue;
    }
    if (report.status === 'pending') {
      const decision = await decide(ex, step);
      if ('error' in decision) failBeforeStart(ex, index, step, decision.error);
      else if (!decision.run) ex.setStep(index, transitionStep(report, 'skip', { reason: decision.reason }));
      else begin(ex, index, step, resolved);
      continue;
    }
    if (report.status === 'retrying') {
      const due = Date.parse(report.nextAttemptAt);
      if (due > rt.context.clock.now().getTime()) return ex.waitUntil(due);
      begin(ex, index, step, resolved);
      continue;
    }
    const waiting = await runStep(ex, index, resolved);
    if (waiting) return waiting;
  }
}

/** Runs (or checks on) a running step; answers when the run must wait. */
async function runStep(ex: Execution, index: number, resolved: ResolvedStep): Promise<StepResult | undefined> {
  const report = ex.run.steps[index] as StepReportIn<'running'>;
  const step = ex.definition.steps[index];
  if (!step) return undefined;
  if (resolved.kind === 'wait') {
    const until = Date.parse(report.waitUntil ?? report.startedAt);
    if (until > ex.rt.context.clock.now().getTime()) return ex.waitUntil(until);
    succeed(ex, index, {});
    return undefined;
  }
  if (resolved.kind === 'child') return followChild(ex, index, step);
  ex.renewLease(step.timeoutMs);
  await ex.flush();
  const outcome = await runAttempt(ex.rt, {
    run: ex.run,
    index,
    step,
    resolved,
    attempt: report.attempts.filter((a) => !a.interrupted).length,
    runSignal: ex.runSignal,
    stopSignal: ex.stopSignal,
    logged: report.logs.length,
  });
  const current = ex.run.steps[index] as StepReportIn<'running'>;
  if (outcome.logs.length > 0) ex.setStep(index, { ...current, logs: [...current.logs, ...outcome.logs] });
  if (outcome.ok) {
    succeed(ex, index, outcome);
    return undefined;
  }
  if (outcome.why === 'stopped') {
    // The engine is stopping: hand the run back at once; the next engine runs this attempt again.
    ex.patch({ leaseUntil: ex.now() });
    await ex.flush();
    return progressed;
  }
  if (outcome.why === 'aborted' || outcome.why === 'run-timeout') {
    // The run ends: the step stays running so that finishing the run records why. Read the abort
    // request (who, why) that the signal announced.
    await ex.sync();
    if (outcome.why === 'aborted' && !ex.run.abortRequested)
      ex.patch({ abortRequested: { by: SYSTEM_ACTOR, at: ex.now(), reason: outcome.error.message } });
    return undefined;
  }
  failAttempt(ex, index, step, outcome.error);
  return undefined;
}
