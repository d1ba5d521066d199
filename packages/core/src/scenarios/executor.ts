import { isRailyardError, ValidationError } from '../errors/errors.js';
import { scenarioStepMachine } from '../machines/scenario-step-machine.js';
import { moveStep, transitionStep } from '../machines/scenario-transitions.js';
import type { ScenarioRunIn, StepReportIn } from '../model/scenario-run.js';
import type { Read } from '../runtime/read.js';
import { progressed, type StepResult } from '../runtime/step-result.js';
import { abortAttempts, attemptHere, stepAttempt } from './attempt-work.js';
import { type ResolvedStep, resolveStep } from './builtins.js';
import { followChild } from './child-runs.js';
import { Execution, LostRunError } from './execution.js';
import { abortAbandoned, finishRun } from './finish.js';
import { definitionOf } from './inline-definition.js';
import type { ScenarioRuntime } from './runtime.js';
import { begin, decide, failAttempt, failBeforeStart, failedFields, resume, succeed } from './step-actions.js';
import { readRun } from './store.js';

/**
 * Advances one running run as far as it can go now: this engine's own run, or one whose lease
 * expired (taken over by compare-and-swap). Steps run in order until the run must wait (a retry
 * delay, a wait step, another run, an attempt running as host work) or ends. Attempts run in the
 * engine's host-work runner, never awaited here: the lease on the run, committed before an attempt
 * starts, claims it; a crash loses at most the attempt in progress, which the next engine runs again.
 * @internal
 */
export async function advanceRun(rt: ScenarioRuntime, runId: string, stopSignal: AbortSignal): Promise<StepResult> {
  if (rt.advancing.has(runId)) return { progressed: false };
  const read = await readRun(rt.context, runId);
  if (read?.value.status !== 'running') return { progressed: false };
  const run = read.value;
  const mine = run.owner === rt.context.engineId;
  const leaseEnd = Date.parse(run.leaseUntil);
  if (!mine && leaseEnd > rt.context.clock.now().getTime()) return { progressed: false, nextAt: leaseEnd };
  const definition = await definitionOf(rt.context, rt.cache, run);
  const controller = new AbortController();
  const onStop = () => controller.abort(stopSignal.reason);
  stopSignal.addEventListener('abort', onStop, { once: true });
  rt.advancing.add(runId);
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
    rt.advancing.delete(runId);
    stopSignal.removeEventListener('abort', onStop);
    await abortAbandoned(execution);
  }
}

async function drive(ex: Execution): Promise<StepResult> {
  const { rt } = ex;
  const takeover = ex.run.owner !== rt.context.engineId;
  ex.run.steps.forEach((step, index) => {
    const kind = resolveStep(rt, ex.definition.steps[index]?.type ?? '')?.kind;
    const fn = kind === 'function';
    // An attempt this engine is not running (another engine's, or one cut short) runs again.
    if (step.status === 'running' && fn && !attemptHere(ex, index)) resume(ex, index);
  });
  if (takeover) ex.renewLease();
  for (;;) {
    const run = ex.run;
    if (run.abortRequested) {
      abortAttempts(ex, `aborted: ${run.abortRequested.reason}`);
      return finishRun(ex, 'abort');
    }
    if (rt.context.clock.now().getTime() >= Date.parse(run.deadlineAt)) {
      abortAttempts(ex, 'the run timed out');
      return finishRun(ex, 'time_out');
    }
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
  return stepAttempt(ex, index, step, resolved);
}
