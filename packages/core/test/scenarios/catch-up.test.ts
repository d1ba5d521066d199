import type { ScenarioRun } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { createScenarioWorld, journalOf, operator } from './fixtures.js';

/**
 * An hourly scenario defined at 09:00 fires at 10:00 on engine A; A stops; nobody runs until
 * `restartAt`, when engine B opens the same store (same clock).
 */
async function restartedAfterDowntime(catchUp: 'none' | 'latest' | 'all', restartAt: string, maxCatchUp?: number) {
  const a = await createScenarioWorld();
  await a.railyard.scenarios.define(
    {
      id: 'hourly',
      triggers: [{ kind: 'schedule', cron: '0 * * * *', catchUp, ...(maxCatchUp ? { maxCatchUp } : {}) }],
      steps: [{ type: 'ok' }],
    },
    { by: operator },
  );
  await a.clock.set('2026-03-02T10:00:00.000Z');
  await a.railyard.settle();
  await a.railyard.stop();
  await a.clock.set(restartAt);
  const b = await createScenarioWorld({ store: a.store, clock: a.clock });
  await b.railyard.settle();
  const runs = await b.railyard.scenarios.runs({ scenario: 'hourly', order: 'oldest' });
  const scheduled = (run: ScenarioRun) => [run.trigger.scheduledFor, run.trigger.catchUp ?? false, run.status];
  return { b, runs: runs.map(scheduled), skipped: await journalOf(b.railyard, 'scenario.skipped') };
}

describe('schedule catch-up after a restart', () => {
  it('none (the default): runs nothing for missed instants, and journals what it skipped', async () => {
    const { b, runs, skipped } = await restartedAfterDowntime('none', '2026-03-02T14:30:00.000Z');
    expect(runs).toEqual([['2026-03-02T10:00:00.000Z', false, 'succeeded']]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.data).toMatchObject({
      scenario: 'hourly',
      reason: 'missed',
      trigger: 't0',
      count: 4,
      catchUp: 'none',
      first: '2026-03-02T11:00:00.000Z',
      last: '2026-03-02T14:00:00.000Z',
    });
    // the last instant is stored: the schedule resumes with the next one
    expect((await b.railyard.tick()).nextAt).toBe(Date.parse('2026-03-02T15:00:00.000Z'));
    await b.clock.set('2026-03-02T15:00:00.000Z');
    await b.railyard.settle();
    expect(await b.railyard.scenarios.runs({ scenario: 'hourly' })).toHaveLength(2);
  });

  it('latest: runs once for the most recent missed instant and skips the others', async () => {
    const { runs, skipped } = await restartedAfterDowntime('latest', '2026-03-02T14:30:00.000Z');
    expect(runs).toEqual([
      ['2026-03-02T10:00:00.000Z', false, 'succeeded'],
      ['2026-03-02T14:00:00.000Z', true, 'succeeded'],
    ]);
    expect(skipped[0]?.data).toMatchObject({
      count: 3,
      first: '2026-03-02T11:00:00.000Z',
      last: '2026-03-02T13:00:00.000Z',
    });
  });

  it('all: runs each missed instant in order (under the concurrency policy), at most maxCatchUp', async () => {
    const every = await restartedAfterDowntime('all', '2026-03-02T14:30:00.000Z');
    expect(every.runs).toEqual([
      ['2026-03-02T10:00:00.000Z', false, 'succeeded'],
      ['2026-03-02T11:00:00.000Z', true, 'succeeded'],
      ['2026-03-02T12:00:00.000Z', true, 'succeeded'],
      ['2026-03-02T13:00:00.000Z', true, 'succeeded'],
      ['2026-03-02T14:00:00.000Z', true, 'succeeded'],
    ]);
    expect(every.skipped).toEqual([]);
    const capped = await restartedAfterDowntime('all', '2026-03-02T14:30:00.000Z', 2);
    expect(capped.runs.map((r) => r[0])).toEqual([
      '2026-03-02T10:00:00.000Z',
      '2026-03-02T13:00:00.000Z',
      '2026-03-02T14:00:00.000Z',
    ]);
    expect(capped.skipped[0]?.data).toMatchObject({ count: 2, last: '2026-03-02T12:00:00.000Z' });
  });

  it('an instant at most lateToleranceMs late is on time, not missed: it fires whatever the policy', async () => {
    const { runs, skipped } = await restartedAfterDowntime('none', '2026-03-02T14:00:30.000Z');
    expect(runs).toEqual([
      ['2026-03-02T10:00:00.000Z', false, 'succeeded'],
      ['2026-03-02T14:00:00.000Z', false, 'succeeded'],
    ]);
    expect(skipped[0]?.data).toMatchObject({ count: 3 });
  });

  it('never fires an instant twice across restarts', async () => {
    const { b, runs } = await restartedAfterDowntime('latest', '2026-03-02T10:00:00.000Z');
    expect(runs).toEqual([['2026-03-02T10:00:00.000Z', false, 'succeeded']]);
    const c = await createScenarioWorld({ store: b.store, clock: b.clock });
    await c.railyard.settle();
    expect(await c.railyard.scenarios.runs({ scenario: 'hourly' })).toHaveLength(1);
  });
});
