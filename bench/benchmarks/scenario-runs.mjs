// scenario-runs: scheduled scenario runs per second through the whole scenario engine (schedule
// trigger → queued → claimed → 5 steps → succeeded, each step an attempt with its timeout timer)
// on the memory store and a fake clock, against a bare loop that calls the same 5 functions with
// the same timers (one timeout sleep per call on the same kind of fake clock), interleaved in the
// same process.
import { createRailyard, defineStep, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import { z } from 'zod';
import { interleave, median, note, QUICK, round, sample, settleHeap, spread } from '../lib.mjs';

const ROUNDS = 3;
const WARMUP = 1;
/** Scheduled runs per engine sample (the issue asks for 10,000), and per bare-loop sample. */
const RUNS = QUICK ? 300 : 10_000;
const BARE_RUNS = QUICK ? 10_000 : 100_000;
const STEPS = 5;
const STEP_TIMEOUT_MS = 60_000;
const by = { id: 'bench', roles: [] };

/** The 5 no-op step functions, shared by both contenders. */
let calls = 0;
const functions = Array.from({ length: STEPS }, () => () => {
  calls++;
});

async function engineSample() {
  const clock = createFakeClock('2026-03-02T09:00:00.000Z');
  const railyard = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore(), clock });
  functions.forEach((fn, i) => {
    railyard.scenarios.registerStep(`noop-${i}`, defineStep({ params: z.object({}), run: fn }));
  });
  await railyard.scenarios.define(
    {
      id: 'every-second',
      // Every second; runs one at a time (queue), each step with the default retries (0).
      triggers: [{ kind: 'schedule', cron: '* * * * * *' }],
      steps: functions.map((_, i) => ({ type: `noop-${i}`, timeoutMs: STEP_TIMEOUT_MS })),
    },
    { by },
  );
  await railyard.settle();
  await settleHeap();
  const before = calls;
  try {
    const result = await sample(async () => {
      for (let i = 0; i < RUNS; i++) {
        await clock.advance(1000);
        await railyard.settle();
      }
      return RUNS;
    });
    // Untimed checks: every run happened and succeeded, every step was called once.
    const runs = await railyard.scenarios.runs({ scenario: 'every-second', limit: RUNS });
    const ok = runs.filter((r) => r.status === 'succeeded').length;
    if (ok !== RUNS || calls - before !== RUNS * STEPS)
      throw new Error(`scenario-runs: ${ok}/${RUNS} runs succeeded, ${calls - before} step calls`);
    let commits = 0;
    for await (const entry of railyard.journal.read()) if (entry.type === 'scenario.run') commits++;
    return { ...result, journal: commits / RUNS };
  } finally {
    await railyard.close();
  }
}

/** The bare loop: per run, the clock moves 1 s; per step, a timeout sleep is armed, the function called, the sleep cancelled. */
async function bareSample() {
  const clock = createFakeClock('2026-03-02T09:00:00.000Z');
  await settleHeap();
  return sample(async () => {
    for (let i = 0; i < BARE_RUNS; i++) {
      await clock.advance(1000);
      for (const fn of functions) {
        const timer = new AbortController();
        const timeout = clock.sleep(STEP_TIMEOUT_MS, timer.signal).catch(() => undefined);
        await Promise.race([Promise.resolve().then(fn), timeout]);
        timer.abort();
      }
    }
    return BARE_RUNS;
  });
}

export async function run() {
  note(
    `scenario-runs: ${ROUNDS} interleaved rounds (+${WARMUP} warm-up); engine sample = ${RUNS} scheduled runs of ${STEPS} no-op steps on a fresh memory engine (clock +1 s and settle per run), bare sample = ${BARE_RUNS} loops of the same ${STEPS} calls with the same timeout timers`,
  );
  const { subject, baseline, ratios } = await interleave({
    subject: engineSample,
    baseline: bareSample,
    rounds: ROUNDS,
    warmup: WARMUP,
  });
  const rps = median(subject.map((s) => s.rate));
  const bps = median(baseline.map((s) => s.rate));
  note(`engine runs/s ${spread(subject.map((s) => s.rate))}; bare loop runs/s ${spread(baseline.map((s) => s.rate))}`);
  note(
    `per run: engine ${round(1e6 / rps)} µs (${round(median(subject.map((s) => s.journal)))} scenario.run journal entries; 8 commits: queue, claim, one before each of the 5 attempts, end), bare ${round(1e6 / bps)} µs; per-round ratio ${spread(ratios)}`,
  );
  return [{ name: 'scenario-runs', value: rps, unit: 'runs/s', baseline: 'bare-loop', ratio: median(ratios) }];
}
