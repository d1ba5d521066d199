import { defineStep } from '@railyard/core';
import { ValidationError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScenarioWorld, operator, untilSleeping } from './fixtures.js';

describe('retries and timeouts', () => {
  it('retries a retryable failure with backoff delays waited on the clock, then succeeds', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock, host } = world;
    host.failures.set('flaky', 2);
    await railyard.scenarios.define(
      {
        id: 'flaky',
        steps: [{ type: 'fail', params: { tag: 'flaky' }, retries: 3, retryDelayMs: 1000, backoffFactor: 2 }],
      },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('flaky', { by: operator });
    await railyard.settle();
    expect((await railyard.scenarios.getRun(id))?.steps[0]).toMatchObject({
      status: 'retrying',
      nextAttemptAt: '2026-03-02T09:00:01.000Z',
      error: { message: 'boom (flaky)', retryable: true },
    });
    expect((await railyard.tick()).nextAt).toBe(Date.parse('2026-03-02T09:00:01.000Z'));
    await clock.advance(999);
    await railyard.settle();
    expect(host.calls).toHaveLength(1);
    await clock.advance(1);
    await railyard.settle();
    expect(host.calls).toHaveLength(2);
    expect((await railyard.scenarios.getRun(id))?.steps[0]).toMatchObject({
      nextAttemptAt: '2026-03-02T09:00:03.000Z',
    });
    await clock.advance(2000);
    await railyard.settle();
    const run = await railyard.scenarios.getRun(id);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps[0]?.attempts.map((a) => [a.attempt, a.error?.message ?? null])).toEqual([
      [1, 'boom (flaky)'],
      [2, 'boom (flaky)'],
      [3, null],
    ]);
    expect(host.calls.map((c) => c.ctx.attempt)).toEqual([1, 2, 3]);
    expect(new Set(host.calls.map((c) => c.ctx.idempotencyKey))).toEqual(new Set([`${id}:0`]));
  });

  it('caps the backoff delay at maxRetryDelayMs and fails once the retries are spent', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    await railyard.scenarios.define(
      {
        id: 'down',
        steps: [{ type: 'fail', retries: 2, retryDelayMs: 1000, backoffFactor: 10, maxRetryDelayMs: 3000 }],
      },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('down', { by: operator });
    await railyard.settle();
    await clock.advance(1000);
    await railyard.settle();
    expect((await railyard.scenarios.getRun(id))?.steps[0]).toMatchObject({
      nextAttemptAt: '2026-03-02T09:00:04.000Z',
    });
    await clock.advance(3000);
    await railyard.settle();
    const run = await railyard.scenarios.getRun(id);
    expect(run).toMatchObject({ status: 'failed', steps: [{ status: 'failed', countsAs: 'failed' }] });
    expect(run?.steps[0]?.attempts).toHaveLength(3);
  });

  it('never retries an error marked not retryable', async () => {
    let calls = 0;
    const world = await createScenarioWorld({
      steps: {
        strict: defineStep({
          params: z.object({}),
          run: () => {
            calls++;
            throw new ValidationError('the input table has no primary key; fix the table');
          },
        }),
      },
    });
    await world.railyard.scenarios.define(
      { id: 's', steps: [{ type: 'strict', retries: 5, retryDelayMs: 0 }] },
      { by: operator },
    );
    const { id } = await world.railyard.scenarios.run('s', { by: operator });
    await world.railyard.settle();
    expect(calls).toBe(1);
    expect((await world.railyard.scenarios.getRun(id))?.steps[0]).toMatchObject({
      status: 'failed',
      error: { code: 'VALIDATION', retryable: false },
    });
  });

  it('aborts an attempt at the step timeout (the step sees its signal) and retries it', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock, host } = world;
    await railyard.scenarios.define(
      { id: 'slow', steps: [{ type: 'hang', timeoutMs: 5000, retries: 1, retryDelayMs: 0 }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('slow', { by: operator });
    const settling = railyard.settle();
    await untilSleeping(clock);
    await clock.advance(5000);
    await untilSleeping(clock);
    expect(host.calls[0]?.ctx.signal.aborted).toBe(true);
    expect(host.calls).toHaveLength(2);
    await clock.advance(5000);
    await settling;
    const run = await railyard.scenarios.getRun(id);
    expect(run?.status).toBe('failed');
    expect(run?.steps[0]).toMatchObject({
      status: 'failed',
      error: { code: 'TIMEOUT', message: 'step did not finish within 5000 ms' },
    });
    expect(run?.steps[0]?.attempts.map((a) => a.durationMs)).toEqual([5000, 5000]);
  });

  it('ends a run past the scenario timeout as timed_out: the running attempt is cut, the rest skipped', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    await railyard.scenarios.define(
      {
        id: 'long',
        timeoutMs: 10_000,
        steps: [
          { type: 'hang', timeoutMs: 60_000 },
          { type: 'ok', when: 'always' },
        ],
      },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('long', { by: operator });
    const settling = railyard.settle();
    await untilSleeping(clock);
    await clock.advance(10_000);
    await settling;
    const run = await railyard.scenarios.getRun(id);
    expect(run).toMatchObject({
      status: 'timed_out',
      durationMs: 10_000,
      reason: 'the run did not finish within its timeout (10000 ms)',
      steps: [{ status: 'failed' }, { status: 'skipped' }],
    });
  });

  it('times out a run that waits on the clock without blocking the worker', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    await railyard.scenarios.define(
      { id: 'nap', timeoutMs: 30_000, steps: [{ type: 'railyard/wait', params: { ms: 60_000 } }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('nap', { by: operator });
    await railyard.settle();
    expect((await railyard.tick()).nextAt).toBe(Date.parse('2026-03-02T09:00:30.000Z'));
    await clock.advance(30_000);
    await railyard.settle();
    expect(await railyard.scenarios.getRun(id)).toMatchObject({ status: 'timed_out', steps: [{ status: 'failed' }] });
  });
});

describe('host code outside the pass', () => {
  it('settle({ waitForHostCode: false }) returns while a step hangs; other runs finish meanwhile, and the timeout is a stored deadline', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock, host } = world;
    await railyard.scenarios.define(
      { id: 'stuck', steps: [{ type: 'hang', timeoutMs: 5000, retries: 0 }] },
      { by: operator },
    );
    await railyard.scenarios.define({ id: 'quick', steps: [{ type: 'ok' }] }, { by: operator });
    const stuck = await railyard.scenarios.run('stuck', { by: operator });
    const quick = await railyard.scenarios.run('quick', { by: operator });
    await railyard.settle({ waitForHostCode: false });
    expect((await railyard.scenarios.getRun(quick.id))?.status).toBe('succeeded');
    expect((await railyard.scenarios.getRun(stuck.id))?.status).toBe('running');
    expect(clock.pending()).toBe(0); // nothing sleeps on the clock: the timeout is on the record
    await clock.advance(5000);
    await railyard.settle({ waitForHostCode: false });
    expect(host.calls.find((c) => c.step === 'hang')?.ctx.signal.aborted).toBe(true);
    expect(await railyard.scenarios.getRun(stuck.id)).toMatchObject({
      status: 'failed',
      steps: [{ status: 'failed', error: { code: 'TIMEOUT', message: 'step did not finish within 5000 ms' } }],
    });
  });
});
