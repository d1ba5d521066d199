import { consoleNotifier } from '@railyard/core';
import type { Notifier } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { createScenarioWorld, operator, runToEnd } from './fixtures.js';

const reporters = [
  { on: 'start' as const, channel: 'ops' },
  {
    id: 'alert',
    on: 'end' as const,
    when: ['failed' as const, 'timed_out' as const],
    channel: 'oncall',
    message: 'ALERT {scenario} {outcome}{reason}',
  },
  { on: 'end' as const },
];

describe('reporters', () => {
  it('report on start, and on end when the outcome matches their condition, through the notifiers', async () => {
    const world = await createScenarioWorld();
    const { railyard, notifier, host } = world;
    await railyard.scenarios.define(
      { id: 'job', reporters, steps: [{ type: 'fail', params: { tag: 'job' } }] },
      { by: operator },
    );
    host.failures.set('job', 1);
    const failed = await runToEnd(world, 'job');
    const ok = await runToEnd(world, 'job');
    expect(
      notifier.of('scenario.report').map((r) => [r.runId, r.reporter, r.phase, r.channel ?? null, r.outcome ?? null]),
    ).toEqual([
      [failed.id, 'r0', 'start', 'ops', null],
      [failed.id, 'alert', 'end', 'oncall', 'failed'],
      [failed.id, 'r2', 'end', null, 'failed'],
      [ok.id, 'r0', 'start', 'ops', null],
      [ok.id, 'r2', 'end', null, 'succeeded'],
    ]);
    const alert = notifier.of('scenario.report')[1];
    expect(alert?.message).toBe('ALERT job failed: step #1 failed: boom (job)');
    expect(notifier.of('scenario.report')[0]?.message).toBe(`Scenario job: run ${failed.id} started (manual).`);
  });

  it('report an aborted queued run at its end', async () => {
    const world = await createScenarioWorld();
    const { railyard, notifier } = world;
    await railyard.scenarios.define({ id: 'job', reporters, steps: [{ type: 'ok' }] }, { by: operator });
    const queued = await railyard.scenarios.run('job', { by: operator });
    await railyard.scenarios.abort(queued.id, { by: operator, reason: 'wrong params' });
    expect(notifier.of('scenario.report').map((r) => [r.phase, r.outcome, r.message])).toEqual([
      ['end', 'aborted', `Scenario job: run ${queued.id} ended aborted: wrong params.`],
    ]);
  });

  it('refuses a start reporter with an outcome condition', async () => {
    const world = await createScenarioWorld();
    await expect(
      world.railyard.scenarios.define(
        { id: 'job', reporters: [{ on: 'start', when: ['failed'] }], steps: [{ type: 'ok' }] },
        { by: operator },
      ),
    ).rejects.toThrow(ValidationError);
  });

  it('never waits for a notifier: a hung one does not hold the run', async () => {
    const hung: Notifier = { notify: () => new Promise(() => undefined) };
    const world = await createScenarioWorld({ notifiers: [hung] });
    await world.railyard.scenarios.define({ id: 'job', reporters, steps: [{ type: 'ok' }] }, { by: operator });
    expect((await runToEnd(world, 'job')).status).toBe('succeeded');
  });

  it('consoleNotifier prints report messages, filtered by channel', async () => {
    const lines: string[] = [];
    const world = await createScenarioWorld({
      notifiers: [consoleNotifier({ channels: ['oncall'], write: (line) => lines.push(line) })],
    });
    await world.railyard.scenarios.define({ id: 'job', reporters, steps: [{ type: 'fail' }] }, { by: operator });
    const run = await runToEnd(world, 'job');
    expect(lines).toEqual([
      '[railyard oncall] ALERT job failed: step #1 failed: boom (default)',
      `[railyard] Scenario job: run ${run.id} ended failed: step #1 failed: boom (default).`,
    ]);
  });

  it('consoleNotifier prints other lifecycle events when asked', async () => {
    const lines: string[] = [];
    const world = await createScenarioWorld({
      notifiers: [consoleNotifier({ types: ['scenario.run'], write: (line) => lines.push(line) })],
    });
    await world.railyard.scenarios.define({ id: 'job', steps: [{ type: 'ok' }] }, { by: operator });
    const run = await runToEnd(world, 'job');
    expect(lines).toEqual([
      `[railyard] scenario.run ${run.id} (job): new → queued`,
      `[railyard] scenario.run ${run.id} (job): queued → running`,
      `[railyard] scenario.run ${run.id} (job): running → succeeded`,
    ]);
  });
});
