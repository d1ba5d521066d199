import { defineStep, memoryStateStore } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScenarioWorld, operator, untilSleeping } from './fixtures.js';

describe('claims: one run, one engine', () => {
  it('two engines on one store never run a run (or a step) twice', async () => {
    const store = memoryStateStore();
    const clock = createFakeClock('2026-03-02T09:00:00.000Z');
    const a = await createScenarioWorld({ store, clock });
    const b = await createScenarioWorld({ store, clock });
    await a.railyard.scenarios.define(
      {
        id: 'job',
        concurrency: { policy: 'parallel', max: 4 },
        steps: [{ type: 'ok' }, { type: 'ok' }, { type: 'ok' }],
      },
      { by: operator },
    );
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await a.railyard.scenarios.run('job', { by: operator })).id);
    for (let round = 0; round < 20; round++) await Promise.all([a.railyard.settle(), b.railyard.settle()]);
    const runs = await a.railyard.scenarios.runs({ scenario: 'job' });
    expect(runs.map((r) => r.status)).toEqual(Array(12).fill('succeeded'));
    const keys = [...a.host.calls, ...b.host.calls].map((c) => c.ctx.idempotencyKey).sort();
    expect(keys).toEqual(ids.flatMap((id) => [`${id}:0`, `${id}:1`, `${id}:2`]).sort());
    expect(a.host.calls.length).toBeGreaterThan(0);
    expect(b.host.calls.length).toBeGreaterThan(0);
  });

  it('takes over a run whose engine vanished once its lease expires, and runs the interrupted attempt again', async () => {
    const store = memoryStateStore();
    const frozen = createFakeClock('2026-03-02T09:00:00.000Z');
    const a = await createScenarioWorld({ store, clock: frozen, leaseMs: 1000 });
    await a.railyard.scenarios.define(
      { id: 'job', steps: [{ type: 'hang', timeoutMs: 60_000 }, { type: 'ok' }] },
      { by: operator },
    );
    const { id } = await a.railyard.scenarios.run('job', { by: operator });
    const stuck = a.railyard.settle(); // engine A hangs in the step: its clock never moves
    await untilSleeping(frozen);

    const later = createFakeClock('2026-03-02T09:00:30.000Z');
    let reruns = 0;
    const b = await createScenarioWorld({
      store,
      clock: later,
      leaseMs: 1000,
      steps: { hang: defineStep({ params: z.object({}), run: () => void reruns++ }) },
    });
    await b.railyard.settle();
    expect(reruns).toBe(0); // A's lease covers its attempt's timeout plus leaseMs
    expect((await b.railyard.tick()).nextAt).toBe(Date.parse('2026-03-02T09:01:01.000Z'));
    await later.set('2026-03-02T09:01:01.000Z');
    await b.railyard.settle();
    expect(reruns).toBe(1);
    const run = await b.railyard.scenarios.getRun(id);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps[0]?.attempts).toMatchObject([
      { attempt: 1, interrupted: true },
      { attempt: 1, durationMs: 0 },
    ]);
    // A wakes up: its result is refused by compare-and-swap, the run stays as B finished it.
    for (const release of a.host.release) release();
    await stuck;
    expect(await a.railyard.scenarios.getRun(id)).toEqual(run);
  });

  it('stopping the worker hands a running run back at once; another engine runs it to the end', async () => {
    const store = memoryStateStore();
    const clock = createFakeClock('2026-03-02T09:00:00.000Z');
    const a = await createScenarioWorld({ store, clock });
    await a.railyard.scenarios.define({ id: 'job', steps: [{ type: 'hang' }] }, { by: operator });
    const { id } = await a.railyard.scenarios.run('job', { by: operator });
    a.railyard.start();
    while (a.host.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await a.railyard.stop();
    expect(a.host.calls[0]?.ctx.signal.aborted).toBe(true);
    expect((await a.railyard.scenarios.getRun(id))?.status).toBe('running');
    const b = await createScenarioWorld({
      store,
      clock,
      steps: { hang: defineStep({ params: z.object({}), run: () => ({ output: 'done' }) }) },
    });
    await b.railyard.settle();
    expect(await b.railyard.scenarios.getRun(id)).toMatchObject({ status: 'succeeded', steps: [{ output: 'done' }] });
  });
});
