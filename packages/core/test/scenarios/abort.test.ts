import { IllegalTransitionError, NotFoundError, ValidationError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { createScenarioWorld, journalOf, operator, untilSleeping } from './fixtures.js';

describe('abort', () => {
  it('ends a queued run at once, journaled, and takes it out of the queue', async () => {
    const world = await createScenarioWorld();
    const { railyard, host } = world;
    await railyard.scenarios.define({ id: 'job', steps: [{ type: 'ok' }, { type: 'ok' }] }, { by: operator });
    const queued = await railyard.scenarios.run('job', { by: operator });
    const aborted = await railyard.scenarios.abort(queued.id, { by: operator, reason: 'not today' });
    expect(aborted).toMatchObject({
      status: 'aborted',
      abortedBy: operator,
      reason: 'not today',
      steps: [{ status: 'skipped' }, { status: 'skipped' }],
    });
    await railyard.settle();
    expect(host.calls).toEqual([]);
    const entries = await journalOf(railyard, 'scenario.run');
    expect(entries.at(-1)).toMatchObject({
      actor: { id: 'operator' },
      reason: 'not today',
      data: { from: 'queued', to: 'aborted' },
    });
  });

  it('aborts a running step through its signal and ends the run aborted, by whom and why', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock, host } = world;
    await railyard.scenarios.define(
      { id: 'job', steps: [{ type: 'hang', retries: 3 }, { type: 'ok' }, { type: 'ok', when: 'always' }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('job', { by: operator });
    const settling = railyard.settle();
    await untilSleeping(clock);
    const requested = await railyard.scenarios.abort(id, { by: operator, reason: 'bad data upstream' });
    expect(requested).toMatchObject({
      status: 'running',
      abortRequested: { by: operator, reason: 'bad data upstream' },
    });
    await settling;
    expect(host.calls[0]?.ctx.signal.aborted).toBe(true);
    expect(await railyard.scenarios.getRun(id)).toMatchObject({
      status: 'aborted',
      abortedBy: operator,
      reason: 'bad data upstream',
      steps: [
        { status: 'failed', error: { message: 'aborted by operator: bad data upstream' } },
        { status: 'skipped' },
        { status: 'skipped' },
      ],
    });
    expect(host.calls).toHaveLength(1); // never retried
    expect(clock.pending()).toBe(0);
  });

  it('aborts a run waiting on the clock, and the run it waits for', async () => {
    const world = await createScenarioWorld();
    const { railyard } = world;
    await railyard.scenarios.define(
      { id: 'slow', steps: [{ type: 'railyard/wait', params: { ms: 60_000 } }] },
      { by: operator },
    );
    await railyard.scenarios.define(
      { id: 'parent', steps: [{ type: 'railyard/run-scenario', params: { scenario: 'slow' }, timeoutMs: 120_000 }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('parent', { by: operator });
    await railyard.settle();
    await railyard.scenarios.abort(id, { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.getRun(id)).toMatchObject({ status: 'aborted', reason: 'aborted by operator' });
    expect(await railyard.scenarios.runs({ scenario: 'slow' })).toMatchObject([
      { status: 'aborted', abortedBy: { id: 'railyard' }, reason: `run ${id} that waited for it ended aborted` },
    ]);
  });

  it('refuses to abort a finished run, an unknown run, or without an actor, changing nothing', async () => {
    const world = await createScenarioWorld();
    const { railyard } = world;
    await railyard.scenarios.define({ id: 'job', steps: [{ type: 'ok' }] }, { by: operator });
    const { id } = await railyard.scenarios.run('job', { by: operator });
    await railyard.settle();
    await expect(railyard.scenarios.abort(id, { by: operator })).rejects.toThrow(IllegalTransitionError);
    await expect(railyard.scenarios.abort('nope', { by: operator })).rejects.toThrow(NotFoundError);
    await expect(railyard.scenarios.abort(id, {} as never)).rejects.toThrow(ValidationError);
    expect((await railyard.scenarios.getRun(id))?.status).toBe('succeeded');
  });
});
