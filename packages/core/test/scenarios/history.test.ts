import type { ScenarioRunTransition, ScenarioStepTransition } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { createScenarioWorld, journalOf, operator } from './fixtures.js';

describe('run history', () => {
  it('queries runs by scenario, environment, deployment, status and time, newest first', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    await railyard.environments.define({ id: 'production' });
    await railyard.scenarios.define({ id: 'a', steps: [{ type: 'ok' }] }, { by: operator });
    await railyard.scenarios.define({ id: 'b', steps: [{ type: 'fail' }] }, { by: operator });
    const ids: string[] = [];
    const runAt = async (scenario: string, input: { environment?: string; deploymentId?: string } = {}) => {
      ids.push((await railyard.scenarios.run(scenario, { by: operator, ...input })).id);
      await railyard.settle();
      await clock.advance(60_000);
    };
    await runAt('a', { environment: 'staging' }); // 09:00
    await runAt('b', { environment: 'production', deploymentId: 'production/000001' }); // 09:01
    await runAt('a', { environment: 'production' }); // 09:02
    await runAt('a'); // 09:03
    expect([...ids].sort()).toEqual(ids); // ids sort by time
    const q = async (query: Parameters<typeof railyard.scenarios.runs>[0]) =>
      (await railyard.scenarios.runs(query)).map((r) => ids.indexOf(r.id));
    expect(await q({})).toEqual([3, 2, 1, 0]);
    expect(await q({ scenario: 'a', order: 'oldest' })).toEqual([0, 2, 3]);
    expect(await q({ environment: 'production' })).toEqual([2, 1]);
    expect(await q({ deploymentId: 'production/000001' })).toEqual([1]);
    expect(await q({ status: ['failed'] })).toEqual([1]);
    expect(await q({ since: '2026-03-02T09:01:00.000Z', until: '2026-03-02T09:03:00.000Z' })).toEqual([2, 1]);
    expect(await q({ limit: 1 })).toEqual([3]);
    const failed = (await railyard.scenarios.runs({ status: ['failed'] }))[0];
    expect(failed).toMatchObject({
      status: 'failed',
      startedAt: '2026-03-02T09:01:00.000Z',
      durationMs: 0,
      steps: [{ status: 'failed', attempts: [{ attempt: 1, durationMs: 0, error: { message: 'boom (default)' } }] }],
    });
  });

  it('emits run and step transitions after they commit, and journals each run transition', async () => {
    const world = await createScenarioWorld();
    const { railyard } = world;
    const runs: ScenarioRunTransition[] = [];
    const steps: ScenarioStepTransition[] = [];
    railyard.events.on('scenario.run', (e) => runs.push(e));
    railyard.events.on('scenario.step', (e) => steps.push(e));
    await railyard.scenarios.define(
      { id: 'job', steps: [{ type: 'ok' }, { type: 'ok', when: 'never' }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('job', { by: operator });
    await railyard.settle();
    expect(runs.map((e) => [e.from, e.to, e.actor.id])).toEqual([
      [null, 'queued', 'operator'],
      ['queued', 'running', 'railyard'],
      ['running', 'succeeded', 'railyard'],
    ]);
    expect(steps.map((e) => [e.step.index, e.from, e.to])).toEqual([
      [0, 'pending', 'running'],
      [0, 'running', 'succeeded'],
      [1, 'pending', 'skipped'],
    ]);
    const entries = await journalOf(railyard, 'scenario.run');
    expect(entries.map((e) => [e.subject.id, e.data.from, e.data.to])).toEqual([
      [id, null, 'queued'],
      [id, 'queued', 'running'],
      [id, 'running', 'succeeded'],
    ]);
    expect((await railyard.journal.verify()).ok).toBe(true);
  });
});

describe('scenario status and revisions', () => {
  it('shows queued and running runs, the last run, and when clock-driven triggers fire next', async () => {
    const world = await createScenarioWorld({ scenarios: { polls: { never: () => false } } });
    const { railyard, clock } = world;
    await railyard.scenarios.define(
      {
        id: 'job',
        triggers: [
          { kind: 'schedule', cron: '30 9 * * *' },
          { id: 'files', kind: 'poll', poll: 'never', intervalMs: 5 * 60_000 },
        ],
        steps: [{ type: 'railyard/wait', params: { ms: 1000 } }],
      },
      { by: operator },
    );
    const first = await railyard.scenarios.run('job', { by: operator });
    const second = await railyard.scenarios.run('job', { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.status('job')).toEqual({
      scenario: 'job',
      revision: 1,
      queued: [second.id],
      running: [first.id],
      next: [
        { trigger: 'files', kind: 'poll', at: '2026-03-02T09:05:00.000Z' },
        { trigger: 't0', kind: 'schedule', at: '2026-03-02T09:30:00.000Z' },
      ],
    });
    await clock.advance(1000);
    await railyard.settle();
    expect(await railyard.scenarios.status('job')).toMatchObject({
      queued: [],
      running: [second.id],
      last: { runId: first.id, status: 'succeeded', finishedAt: '2026-03-02T09:00:01.000Z' },
    });
    expect(await railyard.scenarios.status('nope')).toBeNull();
  });

  it('keeps each revision a run executed, after the scenario is redefined', async () => {
    const world = await createScenarioWorld();
    const { railyard } = world;
    await railyard.scenarios.define(
      { id: 'job', steps: [{ type: 'railyard/wait', params: { ms: 1000 } }] },
      { by: operator },
    );
    const old = await railyard.scenarios.run('job', { by: operator });
    await railyard.scenarios.define({ id: 'job', steps: [{ type: 'ok' }, { type: 'ok' }] }, { by: operator });
    await railyard.settle();
    await world.clock.advance(1000);
    await railyard.settle();
    const run = await railyard.scenarios.getRun(old.id);
    expect(run).toMatchObject({ revision: 1, status: 'succeeded' });
    expect(run?.steps).toHaveLength(1); // the queued run kept the revision it was queued with
    expect((await railyard.scenarios.revision('job', 1))?.definition.steps).toMatchObject([{ type: 'railyard/wait' }]);
    expect((await railyard.scenarios.revision('job', 2))?.definition.steps).toHaveLength(2);
    expect(await railyard.scenarios.revision('job', 3)).toBeNull();
  });
});
