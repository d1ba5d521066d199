import {
  type ScenarioRun,
  type ScenarioRunIn,
  type StepReport,
  type StepReportIn,
  scenarioRunMachine,
  scenarioStepMachine,
} from '@railyard/core';
import { describe, expectTypeOf, it } from 'vitest';
import { transitionRun, transitionStep } from '#internal/machines/scenario-transitions.js';

declare const queued: ScenarioRunIn<'queued'>;
declare const running: ScenarioRunIn<'running'>;
declare const anyRun: ScenarioRun;
declare const pending: StepReportIn<'pending'>;
declare const runningStep: StepReportIn<'running'>;
declare const anyStep: StepReport;
const at = '2026-01-01T00:00:00.000Z';
const ctx = { at, actor: { id: 'a', roles: [] } };
const started = { startedAt: at, deadlineAt: at, owner: 'engine', leaseUntil: at };

describe('the scenario-run machine rejects illegal programs at compile time', () => {
  it('types legal moves and their targets', () => {
    expectTypeOf(scenarioRunMachine.next('queued', 'start')).toEqualTypeOf<'running'>();
    expectTypeOf(scenarioRunMachine.next('running', 'warn')).toEqualTypeOf<'warning'>();
    expectTypeOf(scenarioRunMachine.next('running', 'time_out')).toEqualTypeOf<'timed_out'>();
    expectTypeOf(transitionRun(queued, 'start', ctx, started).next).toEqualTypeOf<ScenarioRunIn<'running'>>();
    const { next } = transitionRun(running, 'abort', ctx, { finishedAt: at, abortedBy: ctx.actor });
    expectTypeOf(next).toEqualTypeOf<ScenarioRunIn<'aborted'>>();
  });

  it('refuses events that are not legal in a state', () => {
    // @ts-expect-error a finished run cannot be aborted
    scenarioRunMachine.next('succeeded', 'abort');
    // @ts-expect-error a queued run cannot succeed without running
    scenarioRunMachine.next('queued', 'succeed');
    // @ts-expect-error a queued run does not time out (only running runs have a deadline)
    scenarioRunMachine.next('queued', 'time_out');
    // @ts-expect-error unknown event
    scenarioRunMachine.next('running', 'pause');
    // @ts-expect-error unknown state
    scenarioRunMachine.next('paused', 'start');
    // @ts-expect-error a running run cannot start again
    transitionRun(running, 'start', ctx, started);
  });

  it('demands the fields the target state needs', () => {
    // @ts-expect-error starting needs the owner, lease and deadline
    transitionRun(queued, 'start', ctx, { startedAt: at });
    // @ts-expect-error an aborted run records who aborted it
    transitionRun(running, 'abort', ctx, { finishedAt: at });
  });

  it('lets a variant carry only its legal fields', () => {
    if (anyRun.status === 'aborted') expectTypeOf(anyRun.abortedBy.id).toBeString();
    if (anyRun.status === 'running') expectTypeOf(anyRun.leaseUntil).toBeString();
    // @ts-expect-error only an aborted run has abortedBy
    anyRun.abortedBy;
    // @ts-expect-error a queued run has no owner yet
    queued.owner;
    // @ts-expect-error a running run has not finished
    running.finishedAt;
  });
});

describe('the step machine rejects illegal programs at compile time', () => {
  it('types legal moves and their targets', () => {
    expectTypeOf(scenarioStepMachine.next('running', 'retry')).toEqualTypeOf<'retrying'>();
    expectTypeOf(scenarioStepMachine.next('retrying', 'start')).toEqualTypeOf<'running'>();
    expectTypeOf(transitionStep(pending, 'skip', { reason: 'never' })).toEqualTypeOf<StepReportIn<'skipped'>>();
    expectTypeOf(transitionStep(pending, 'start', { startedAt: at })).toEqualTypeOf<StepReportIn<'running'>>();
  });

  it('refuses events that are not legal in a state', () => {
    // @ts-expect-error a skipped step cannot start
    scenarioStepMachine.next('skipped', 'start');
    // @ts-expect-error a pending step cannot succeed without running
    scenarioStepMachine.next('pending', 'succeed');
    // @ts-expect-error retrying waits for its next attempt: it cannot succeed directly
    scenarioStepMachine.next('retrying', 'succeed');
    // @ts-expect-error a succeeded step is final
    transitionStep(runningStep as unknown as StepReportIn<'succeeded'>, 'retry', {});
  });

  it('demands the fields the target state needs', () => {
    // @ts-expect-error a failed step records its error and what it counts as
    transitionStep(runningStep, 'fail', { finishedAt: at });
    // @ts-expect-error a retrying step records when it tries again
    transitionStep(runningStep, 'retry', { startedAt: at, error: { message: 'x', retryable: true } });
  });

  it('lets a step report carry only its legal fields', () => {
    if (anyStep.status === 'failed') expectTypeOf(anyStep.error.message).toBeString();
    if (anyStep.status === 'retrying') expectTypeOf(anyStep.nextAttemptAt).toBeString();
    // @ts-expect-error only a succeeded step has an output
    pending.output;
    // @ts-expect-error only a failed (or retrying) step has an error
    runningStep.error;
  });
});
