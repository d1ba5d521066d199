import type { ConcurrencyPolicy } from '@railyard/core';
import { PolicyError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { createScenarioWorld, journalOf, operator } from './fixtures.js';

/** A scenario whose runs each wait 10 s on the clock. */
async function napWorld(concurrency: ConcurrencyPolicy, maxQueued?: number) {
  const world = await createScenarioWorld();
  await world.railyard.scenarios.define(
    {
      id: 'nap',
      concurrency,
      ...(maxQueued ? { maxQueued } : {}),
      steps: [{ type: 'railyard/wait', params: { ms: 10_000 } }],
    },
    { by: operator },
  );
  const statuses = async () =>
    (await world.railyard.scenarios.runs({ scenario: 'nap', order: 'oldest' })).map((r) => r.status);
  return { ...world, statuses };
}

describe('concurrency policies', () => {
  it('queue (the default): one run at a time, in the order they were queued', async () => {
    const { railyard, clock, statuses } = await napWorld({ policy: 'queue' });
    for (let i = 0; i < 3; i++) await railyard.scenarios.run('nap', { by: operator, params: { i } });
    await railyard.settle();
    expect(await statuses()).toEqual(['running', 'queued', 'queued']);
    await clock.advance(10_000);
    await railyard.settle();
    expect(await statuses()).toEqual(['succeeded', 'running', 'queued']);
    await clock.advance(10_000);
    await railyard.settle();
    await clock.advance(10_000);
    await railyard.settle();
    const runs = await railyard.scenarios.runs({ scenario: 'nap', order: 'oldest' });
    expect(runs.map((r) => [r.params.i, r.status])).toEqual([
      [0, 'succeeded'],
      [1, 'succeeded'],
      [2, 'succeeded'],
    ]);
  });

  it('queue refuses a manual run past maxQueued, changing nothing', async () => {
    const { railyard, statuses } = await napWorld({ policy: 'queue' }, 1);
    await railyard.scenarios.run('nap', { by: operator });
    await railyard.settle();
    await railyard.scenarios.run('nap', { by: operator });
    await expect(railyard.scenarios.run('nap', { by: operator })).rejects.toThrow(PolicyError);
    expect(await statuses()).toEqual(['running', 'queued']);
  });

  it('skip: refuses a manual run while one runs, and journals a skipped trigger fire', async () => {
    const { railyard, clock, statuses } = await napWorld({ policy: 'skip' });
    await railyard.scenarios.run('nap', { by: operator });
    await railyard.settle();
    const refused = railyard.scenarios.run('nap', { by: operator });
    await expect(refused).rejects.toThrow(PolicyError);
    await expect(refused).rejects.toMatchObject({
      rule: 'queue-full',
      message: expect.stringContaining('abort it with scenarios.abort'),
    });
    await railyard.scenarios.define(
      {
        id: 'nap',
        concurrency: { policy: 'skip' },
        triggers: [{ kind: 'schedule', cron: '*/5 * * * * *' }],
        steps: [{ type: 'railyard/wait', params: { ms: 10_000 } }],
      },
      { by: operator },
    );
    await clock.advance(5000);
    await railyard.settle();
    expect(await statuses()).toEqual(['running']);
    const skipped = await journalOf(railyard, 'scenario.skipped');
    expect(skipped.map((e) => [e.data.reason, e.data.trigger])).toEqual([['busy', 'schedule']]);
    await clock.advance(5000);
    await railyard.settle();
    expect(await statuses()).toEqual(['succeeded', 'running']);
  });

  it('replace: a new run aborts the queued and running ones, then runs', async () => {
    const { railyard, clock } = await napWorld({ policy: 'replace' });
    const first = await railyard.scenarios.run('nap', { by: operator });
    await railyard.settle();
    await clock.advance(4000);
    const second = await railyard.scenarios.run('nap', { by: operator });
    const third = await railyard.scenarios.run('nap', { by: operator });
    expect(await railyard.scenarios.getRun(second.id)).toMatchObject({
      status: 'aborted',
      reason: `replaced by run ${third.id} (concurrency "replace")`,
    });
    await railyard.settle();
    expect(await railyard.scenarios.getRun(first.id)).toMatchObject({
      status: 'aborted',
      durationMs: 4000,
      abortedBy: { id: 'railyard' },
      steps: [{ status: 'failed' }],
    });
    expect((await railyard.scenarios.getRun(third.id))?.status).toBe('running');
    await clock.advance(10_000);
    await railyard.settle();
    expect((await railyard.scenarios.getRun(third.id))?.status).toBe('succeeded');
  });

  it('parallel: up to max runs at once; more wait in the queue', async () => {
    const { railyard, clock, statuses } = await napWorld({ policy: 'parallel', max: 2 });
    for (let i = 0; i < 3; i++) await railyard.scenarios.run('nap', { by: operator });
    await railyard.settle();
    expect(await statuses()).toEqual(['running', 'running', 'queued']);
    await clock.advance(10_000);
    await railyard.settle();
    expect(await statuses()).toEqual(['succeeded', 'succeeded', 'running']);
  });
});
