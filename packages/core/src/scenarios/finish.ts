import { isRailyardError } from '../errors/errors.js';
import { moveStep, type ScenarioRunEffect, transitionRun } from '../machines/scenario-transitions.js';
import type { ScenarioRun, StepReport } from '../model/scenario-run.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import { KIND } from '../runtime/records.js';
import { progressed, type StepResult } from '../runtime/step-result.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import { requestAbort } from './abort.js';
import { outcomeSoFar } from './conditions.js';
import { type Execution, LostRunError } from './execution.js';
import { emitReports } from './reporters.js';
import { applyRunEffects } from './runtime.js';
import { endAttempt } from './step-actions.js';
import { readLane, readRun } from './store.js';
import { readVerificationLane } from './verification-lane.js';

/**
 * Ends a run: with the outcome of its steps, or `aborted` / `timed_out` (the step in progress
 * fails, the rest are skipped). Commits the run, its lane (a slot frees up) and the journal entry
 * at once, emits the end reports, then asks the runs its `run-scenario` steps were waiting for to
 * abort.
 * @internal
 */
export async function finishRun(ex: Execution, how: 'abort' | 'time_out' | 'outcome'): Promise<StepResult> {
  const at = ex.now();
  const run = ex.run;
  const request = run.abortRequested;
  const why =
    how === 'abort' && request
      ? `aborted by ${request.by.id}: ${request.reason}`
      : how === 'time_out'
        ? `the run did not finish within its timeout (${ex.definition.timeoutMs} ms)`
        : undefined;
  const children: string[] = [];
  if (why) {
    run.steps.forEach((step, index) => {
      if (step.status === 'running' && step.childRunId) children.push(step.childRunId);
      const ended = endStep(step, at, why);
      if (ended) ex.setStep(index, ended);
    });
  }
  const steps = ex.run.steps;
  const base = {
    startedAt: run.startedAt,
    finishedAt: at,
    durationMs: Math.max(0, Date.parse(at) - Date.parse(run.startedAt)),
    steps,
    variables: ex.run.variables,
  };
  let result: { next: ScenarioRun; effects: ScenarioRunEffect[] };
  if (how === 'abort' && request) {
    const context = { at, actor: request.by, reason: request.reason };
    result = transitionRun(ex.run, 'abort', context, { ...base, abortedBy: request.by, reason: request.reason });
  } else if (how === 'time_out') {
    result = transitionRun(ex.run, 'time_out', { at, actor: SYSTEM_ACTOR, reason: why }, { ...base, reason: why });
  } else {
    const { outcome } = outcomeSoFar(steps);
    const reason = outcomeReason(steps);
    const context = { at, actor: SYSTEM_ACTOR, ...(reason ? { reason } : {}) };
    const fields = { ...base, ...(reason ? { reason } : {}) };
    result =
      outcome === 'succeeded'
        ? transitionRun(ex.run, 'succeed', context, fields)
        : outcome === 'warning'
          ? transitionRun(ex.run, 'warn', context, fields)
          : transitionRun(ex.run, 'fail', context, fields);
  }
  await commitEnd(ex, result);
  for (const id of children) ex.toAbort.set(id, `run ${run.id} that waited for it ended ${result.next.status}`);
  return progressed;
}

/** The report of a step the run ends before it finished: failed if it was under way, else skipped. */
function endStep(step: StepReport, at: string, why: string): StepReport | undefined {
  const error = { message: why, retryable: false };
  if (step.status === 'pending') return moveStep(step, 'skip', { reason: why });
  if (step.status !== 'running' && step.status !== 'retrying') return undefined;
  const attempts =
    step.status === 'running' && step.waitUntil === undefined ? endAttempt(step, at, error) : step.attempts;
  const durationMs = Math.max(0, Date.parse(at) - Date.parse(step.startedAt));
  const fields = { startedAt: step.startedAt, finishedAt: at, durationMs, error, countsAs: 'failed', continued: false };
  return moveStep(step, 'fail', { ...fields, attempts });
}

/** Why a run ended as it did: its first counted failure, else its first warning. */
function outcomeReason(steps: readonly StepReport[]): string | undefined {
  for (const step of steps)
    if (step.status === 'failed' && step.countsAs === 'failed') return `step ${step.key} failed: ${step.error.message}`;
  for (const step of steps) {
    if (step.status === 'failed') return `step ${step.key} failed (counted as a warning): ${step.error.message}`;
    if (step.status === 'succeeded' && step.warning) return `step ${step.key}: ${step.warning}`;
  }
  return undefined;
}

async function commitEnd(ex: Execution, result: { next: ScenarioRun; effects: ScenarioRunEffect[] }): Promise<void> {
  const steps = ex.takeSteps();
  const { next } = result;
  for (;;) {
    const work = new UnitOfWork(ex.rt.context);
    applyRunEffects(work, result.effects, ex.version);
    for (const step of steps) work.emit('scenario.step', step);
    emitReports(work, next, ex.definition, 'end');
    if (next.definition && next.environment !== undefined) {
      // A verification run frees its environment's verification lane, not a scenario's.
      const lane = await readVerificationLane(ex.rt.context, next.environment);
      if (lane)
        work.put(KIND.verificationLane, next.environment, lane.version, {
          ...lane.value,
          running: lane.value.running.filter((id) => id !== next.id),
        });
    }
    const lane = next.definition ? null : await readLane(ex.rt.context, next.scenario);
    if (lane) {
      const value = {
        ...lane.value,
        running: lane.value.running.filter((id) => id !== next.id),
        last: { runId: next.id, status: next.status, finishedAt: 'finishedAt' in next ? next.finishedAt : ex.now() },
      };
      work.put(KIND.scenarioLane, next.scenario, lane.version, value);
    }
    try {
      await work.commit();
      return;
    } catch (error) {
      if (!isRailyardError(error, 'VERSION_CONFLICT')) throw error;
      if (error.details.kind !== KIND.scenarioRun) continue;
      const fresh = await readRun(ex.rt.context, next.id);
      if (fresh?.value.status !== 'running' || fresh.value.owner !== ex.rt.context.engineId)
        throw new LostRunError(next.id);
      ex.version = fresh.version;
    }
  }
}

/** Asks the runs an execution gave up on to abort (best effort: one that already ended stays as it is). @internal */
export async function abortAbandoned(ex: Execution): Promise<void> {
  for (const [id, reason] of ex.toAbort) {
    await requestAbort(ex.rt, id, SYSTEM_ACTOR, reason).catch((error: unknown) => {
      if (!isRailyardError(error, 'ILLEGAL_TRANSITION') && !isRailyardError(error, 'NOT_FOUND'))
        ex.rt.context.events.emit('error', error);
    });
  }
  ex.toAbort.clear();
}
