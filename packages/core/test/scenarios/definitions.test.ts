import { createRailyard, defineStep, memoryBlobStore } from '@railyard/core';
import { NotFoundError, ValidationError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScenarioWorld, journalOf, operator } from './fixtures.js';

describe('scenario definitions', () => {
  it('stores a definition with defaults, journaled, and bumps the revision on redefinition', async () => {
    const { railyard } = await createScenarioWorld();
    const first = await railyard.scenarios.define({ id: 'job', steps: [{ type: 'ok' }] }, { by: operator });
    expect(first).toMatchObject({
      revision: 1,
      definedBy: operator,
      definition: {
        concurrency: { policy: 'queue' },
        timeoutMs: 3_600_000,
        graceMs: 0,
        steps: [{ when: 'on-success', retries: 0 }],
      },
    });
    const second = await railyard.scenarios.define(
      { id: 'job', steps: [{ type: 'ok' }, { type: 'warn' }] },
      { by: operator },
    );
    expect(second.revision).toBe(2);
    expect(await railyard.scenarios.get('job')).toEqual(second);
    expect((await railyard.scenarios.list()).map((s) => s.definition.id)).toEqual(['job']);
    expect((await journalOf(railyard, 'scenario.defined')).map((e) => [e.actor.id, e.data.revision])).toEqual([
      ['operator', 1],
      ['operator', 2],
    ]);
    expect(await railyard.scenarios.get('other')).toBeNull();
  });

  it.each([
    ['an unknown step type', { id: 'x', steps: [{ type: 'nope' }] }, /step type "nope" is not registered/],
    [
      'params its step type refuses',
      { id: 'x', steps: [{ type: 'railyard/wait', params: { ms: -1 } }] },
      /steps\.0.*params\.ms/,
    ],
    [
      'an unknown poll',
      { id: 'x', triggers: [{ kind: 'poll', poll: 'p', intervalMs: 1000 }], steps: [{ type: 'ok' }] },
      /poll "p" is not registered/,
    ],
    [
      'a bad cron expression',
      { id: 'x', triggers: [{ kind: 'schedule', cron: 'every day' }], steps: [{ type: 'ok' }] },
      /five or six cron fields/,
    ],
    [
      'an unknown time zone',
      { id: 'x', triggers: [{ kind: 'schedule', cron: '0 * * * *', timezone: 'Mars/Base' }], steps: [{ type: 'ok' }] },
      /Invalid time zone/,
    ],
    [
      'duplicate step names',
      {
        id: 'x',
        steps: [
          { name: 'a', type: 'ok' },
          { name: 'a', type: 'ok' },
        ],
      },
      /duplicate step name "a"/,
    ],
    [
      'a scenario triggered after itself',
      { id: 'x', triggers: [{ kind: 'after', scenario: 'x' }], steps: [{ type: 'ok' }] },
      /cannot trigger itself/,
    ],
    ['no steps', { id: 'x', steps: [] }, /steps/],
    ['unknown fields', { id: 'x', steps: [{ type: 'ok' }], colour: 'red' }, /colour/],
  ])('refuses %s, changing nothing', async (_what, definition, message) => {
    const { railyard } = await createScenarioWorld();
    const before = await journalOf(railyard, 'scenario.defined');
    const refused = railyard.scenarios.define(definition as never, { by: operator });
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow(message);
    expect(await railyard.scenarios.get('x')).toBeNull();
    expect(await journalOf(railyard, 'scenario.defined')).toEqual(before);
  });

  it('refuses a definition without an actor', async () => {
    const { railyard } = await createScenarioWorld();
    await expect(railyard.scenarios.define({ id: 'x', steps: [{ type: 'ok' }] }, {} as never)).rejects.toThrow(
      ValidationError,
    );
  });

  it('keeps a schedule’s state when its trigger is unchanged, and restarts it when it changes', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    const define = (cron: string) =>
      railyard.scenarios.define(
        { id: 'job', triggers: [{ kind: 'schedule', cron }], steps: [{ type: 'ok' }] },
        { by: operator },
      );
    await define('0 * * * *');
    await railyard.settle();
    await clock.set('2026-03-02T09:59:00.000Z');
    await define('0 * * * *'); // unchanged: 10:00 is still owed from 09:00
    await clock.set('2026-03-02T10:00:00.000Z');
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'job' })).toHaveLength(1);
    await clock.set('2026-03-02T10:20:00.000Z');
    await define('30 * * * *');
    expect((await railyard.tick()).nextAt).toBe(Date.parse('2026-03-02T10:30:00.000Z'));
  });

  it('registers step types, conditions and polls once, never under the built-in prefix', async () => {
    const { railyard } = await createScenarioWorld();
    const step = defineStep({ params: z.object({}), run: () => undefined });
    expect(() => railyard.scenarios.registerStep('railyard/mine', step)).toThrow(ValidationError);
    expect(() => railyard.scenarios.registerStep('ok', step)).toThrow(/already registered/);
    expect(() => railyard.scenarios.registerPoll('', () => false)).toThrow(ValidationError);
    railyard.scenarios.registerCondition('c', () => true);
    expect(() => railyard.scenarios.registerCondition('c', () => true)).toThrow(ValidationError);
  });

  it('refuses manual runs of unknown scenarios or environments, and bad input, changing nothing', async () => {
    const { railyard } = await createScenarioWorld();
    await railyard.scenarios.define({ id: 'job', steps: [{ type: 'ok' }] }, { by: operator });
    await expect(railyard.scenarios.run('nope', { by: operator })).rejects.toThrow(NotFoundError);
    await expect(railyard.scenarios.run('job', { by: operator, environment: 'mars' })).rejects.toThrow(NotFoundError);
    await expect(railyard.scenarios.run('job', { by: operator, params: 'x' as never })).rejects.toThrow(
      ValidationError,
    );
    await expect(railyard.scenarios.run('Job!', { by: operator })).rejects.toThrow(ValidationError);
    expect(await railyard.scenarios.runs()).toEqual([]);
  });

  it('fails a step whose type this engine lacks at run time, with what to do', async () => {
    const world = await createScenarioWorld();
    await world.railyard.scenarios.define({ id: 'job', steps: [{ type: 'ok' }] }, { by: operator });
    // Another engine on the same store that registered no step types:
    const bare = createRailyard({ store: world.store, blobs: memoryBlobStore(), clock: world.clock });
    const { id } = await bare.scenarios.run('job', { by: operator });
    await bare.settle();
    expect(await bare.scenarios.getRun(id)).toMatchObject({
      status: 'failed',
      steps: [
        {
          status: 'failed',
          error: { message: 'step type "ok" is not registered on this site: register it with scenarios.registerStep' },
        },
      ],
    });
  });
});
