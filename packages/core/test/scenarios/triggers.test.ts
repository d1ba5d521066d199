import { describe, expect, it } from 'vitest';
import { designer } from '../deployments/fixtures.js';
import { createScenarioWorld, operator, untilSleeping } from './fixtures.js';

describe('triggers', () => {
  it('schedule: fires on a cron expression in its time zone, from the injected clock', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    // 10:00 in Paris is 09:00 UTC in March (CET, UTC+1).
    await railyard.scenarios.define(
      {
        id: 'morning',
        triggers: [{ kind: 'schedule', cron: '0 10 * * *', timezone: 'Europe/Paris', params: { source: 'cron' } }],
        steps: [{ type: 'ok' }],
      },
      { by: operator },
    );
    expect((await railyard.tick()).nextAt).toBe(Date.parse('2026-03-03T09:00:00.000Z'));
    await clock.set('2026-03-03T08:59:59.999Z');
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'morning' })).toEqual([]);
    await clock.set('2026-03-03T09:00:00.000Z');
    await railyard.settle();
    const [run] = await railyard.scenarios.runs({ scenario: 'morning' });
    expect(run).toMatchObject({
      status: 'succeeded',
      params: { source: 'cron' },
      trigger: { kind: 'schedule', trigger: 't0', scheduledFor: '2026-03-03T09:00:00.000Z' },
    });
    expect(run?.trigger.catchUp).toBeUndefined();
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'morning' })).toHaveLength(1);
  });

  it('after another scenario: fires when it ends, optionally only on given outcomes', async () => {
    const world = await createScenarioWorld();
    const { railyard, host } = world;
    await railyard.scenarios.define(
      { id: 'ingest', steps: [{ type: 'fail', params: { tag: 'ingest' } }] },
      { by: operator },
    );
    await railyard.scenarios.define(
      { id: 'report', triggers: [{ kind: 'after', scenario: 'ingest' }], steps: [{ type: 'ok' }] },
      { by: operator },
    );
    await railyard.scenarios.define(
      {
        id: 'publish',
        triggers: [{ kind: 'after', scenario: 'ingest', outcomes: ['succeeded'] }],
        steps: [{ type: 'ok' }],
      },
      { by: operator },
    );
    host.failures.set('ingest', 1);
    const failed = await railyard.scenarios.run('ingest', { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'report' })).toMatchObject([
      { status: 'succeeded', depth: 1, trigger: { kind: 'after', runId: failed.id } },
    ]);
    expect(await railyard.scenarios.runs({ scenario: 'publish' })).toEqual([]);
    await railyard.scenarios.run('ingest', { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'report' })).toHaveLength(2);
    expect(await railyard.scenarios.runs({ scenario: 'publish' })).toMatchObject([{ status: 'succeeded' }]);
  });

  it('on journal events: fires on entries matching the type (or a prefix) and the environment', async () => {
    const world = await createScenarioWorld();
    const { railyard } = world;
    await railyard.environments.define({ id: 'production' });
    await railyard.scenarios.define(
      {
        id: 'audit',
        triggers: [{ kind: 'event', types: ['environment.*'], environment: 'production' }],
        steps: [{ type: 'ok' }],
      },
      { by: operator },
    );
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'audit' })).toEqual([]); // entries before the definition do not count
    await railyard.environments.define({ id: 'staging', variables: { A: '1' } });
    await railyard.environments.define({ id: 'production', variables: { A: '1' } });
    await railyard.settle();
    const runs = await railyard.scenarios.runs({ scenario: 'audit' });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      environment: 'production',
      trigger: { kind: 'event', event: 'environment.updated' },
    });
  });

  it('on journal events: a trigger does not see the entries of its own definition, only later ones', async () => {
    const world = await createScenarioWorld();
    const { railyard } = world;
    const watcher = {
      id: 'watcher',
      triggers: [{ kind: 'event' as const, types: ['scenario.*'] }],
      steps: [{ type: 'ok' }],
    };
    await railyard.scenarios.define(watcher, { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'watcher' })).toEqual([]);
    // Defining it again (same trigger) journals scenario.defined for itself again: still nothing.
    await railyard.scenarios.define({ ...watcher, description: 'watches scenarios' }, { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'watcher' })).toEqual([]);
    await railyard.scenarios.define({ id: 'other', steps: [{ type: 'ok' }] }, { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'watcher' })).toMatchObject([
      { trigger: { kind: 'event', event: 'scenario.defined' } },
    ]);
  });

  it('custom poll: calls the host function on its interval and fires with its params', async () => {
    const seen: Array<string | undefined> = [];
    let files: string[] = [];
    const world = await createScenarioWorld({
      scenarios: {
        polls: {
          'new-files': ({ since }) => {
            seen.push(since);
            return files.length > 0 ? { params: { files } } : false;
          },
        },
      },
    });
    const { railyard, clock } = world;
    await railyard.scenarios.define(
      { id: 'load', triggers: [{ kind: 'poll', poll: 'new-files', intervalMs: 60_000 }], steps: [{ type: 'ok' }] },
      { by: operator },
    );
    await railyard.settle();
    expect(seen).toEqual([]);
    await clock.advance(60_000);
    await railyard.settle();
    expect(seen).toEqual(['2026-03-02T09:00:00.000Z']);
    expect(await railyard.scenarios.runs({ scenario: 'load' })).toEqual([]);
    files = ['a.csv'];
    await clock.advance(30_000);
    await railyard.settle();
    expect(seen).toHaveLength(1); // not due yet
    await clock.advance(30_000);
    await railyard.settle();
    expect(seen).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:01:00.000Z']);
    expect(await railyard.scenarios.runs({ scenario: 'load' })).toMatchObject([
      { status: 'succeeded', params: { files: ['a.csv'] }, trigger: { kind: 'poll' } },
    ]);
  });

  it('custom poll: a throwing poll is reported on the error event and fires nothing', async () => {
    const world = await createScenarioWorld({
      scenarios: { polls: { broken: () => Promise.reject(new Error('api down')) } },
    });
    const errors: unknown[] = [];
    world.railyard.events.on('error', (error) => errors.push(error));
    await world.railyard.scenarios.define(
      { id: 'load', triggers: [{ kind: 'poll', poll: 'broken', intervalMs: 1000 }], steps: [{ type: 'ok' }] },
      { by: operator },
    );
    await world.clock.advance(1000);
    await world.railyard.settle();
    expect(errors).toMatchObject([{ message: 'api down' }]);
    expect(await world.railyard.scenarios.runs()).toEqual([]);
  });

  it('custom poll: a poll that outlasts its interval is aborted and fires nothing', async () => {
    const signals: AbortSignal[] = [];
    const world = await createScenarioWorld({
      scenarios: {
        polls: {
          stuck: ({ signal }) => {
            signals.push(signal);
            return new Promise<boolean>(() => undefined);
          },
        },
      },
    });
    const errors: unknown[] = [];
    world.railyard.events.on('error', (error) => errors.push(error));
    await world.railyard.scenarios.define(
      { id: 'load', triggers: [{ kind: 'poll', poll: 'stuck', intervalMs: 1000 }], steps: [{ type: 'ok' }] },
      { by: operator },
    );
    await world.clock.advance(1000);
    const settling = world.railyard.settle();
    await untilSleeping(world.clock);
    await world.clock.advance(1000);
    await settling;
    expect(signals[0]?.aborted).toBe(true);
    expect(errors).toMatchObject([
      { message: 'poll "stuck" of scenario load took longer than its interval (1000 ms)' },
    ]);
    expect(await world.railyard.scenarios.runs()).toEqual([]);
  });

  it('deployment lifecycle: fires when a deployment enters a state, with its environment and id', async () => {
    const { railyard } = await createScenarioWorld();
    await railyard.environments.define({ id: 'design' });
    await railyard.scenarios.define(
      {
        id: 'warm-cache',
        triggers: [{ kind: 'deployment', on: ['active'], environment: 'design' }],
        steps: [{ type: 'ok' }],
      },
      { by: operator },
    );
    const bundle = await railyard.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'a.txt', content: 'a' }],
      createdBy: designer,
    });
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'warm-cache' })).toMatchObject([
      { status: 'succeeded', environment: 'design', deploymentId: deployment.id, trigger: { kind: 'deployment' } },
    ]);
    expect(await railyard.scenarios.runs({ deploymentId: deployment.id })).toHaveLength(1);
  });

  it('a grace delay coalesces triggers that fire together into one run', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    await railyard.scenarios.define({ id: 'a', steps: [{ type: 'ok' }] }, { by: operator });
    await railyard.scenarios.define({ id: 'b', steps: [{ type: 'ok' }] }, { by: operator });
    await railyard.scenarios.define(
      {
        id: 'merge',
        graceMs: 60_000,
        triggers: [
          { kind: 'after', scenario: 'a', params: { fromA: true } },
          { kind: 'after', scenario: 'b', params: { fromB: true } },
        ],
        steps: [{ type: 'ok' }],
      },
      { by: operator },
    );
    await railyard.scenarios.run('a', { by: operator });
    await railyard.settle();
    await clock.advance(20_000);
    await railyard.scenarios.run('b', { by: operator });
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'merge' })).toEqual([]);
    expect((await railyard.tick()).nextAt).toBe(Date.parse('2026-03-02T09:01:00.000Z'));
    await clock.advance(40_000);
    await railyard.settle();
    expect(await railyard.scenarios.runs({ scenario: 'merge' })).toMatchObject([
      { status: 'succeeded', params: { fromA: true, fromB: true }, trigger: { kind: 'after', coalesced: 2 } },
    ]);
  });
});
