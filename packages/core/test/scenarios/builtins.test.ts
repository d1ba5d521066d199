import { ValidationError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bake, createWorld, promoteToProduction } from '../deployments/fixtures.js';
import { createScenarioWorld, type Host, hostSteps, operator, runToEnd, statuses } from './fixtures.js';

describe('built-in steps', () => {
  it('run-scenario waits for the other run; its outcome becomes the step outcome', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    await railyard.scenarios.define(
      {
        id: 'child',
        steps: [
          { type: 'railyard/wait', params: { ms: 5000 } },
          { type: 'output', params: { value: 'done' } },
        ],
      },
      { by: operator },
    );
    await railyard.scenarios.define(
      {
        id: 'parent',
        steps: [
          { name: 'call', type: 'railyard/run-scenario', params: { scenario: 'child', params: { depth: 'deep' } } },
          { type: 'ok' },
        ],
      },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('parent', { by: operator, environment: 'staging' });
    await railyard.settle();
    const waiting = await railyard.scenarios.getRun(id);
    const childId = waiting?.steps[0]?.status === 'running' ? waiting.steps[0].childRunId : undefined;
    expect(await railyard.scenarios.getRun(childId ?? '')).toMatchObject({
      status: 'running',
      environment: 'staging',
      params: { depth: 'deep' },
      depth: 1,
      ancestors: ['parent'],
      trigger: { kind: 'parent', runId: id },
    });
    await clock.advance(5000);
    await railyard.settle();
    const run = await railyard.scenarios.getRun(id);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps[0]).toMatchObject({ status: 'succeeded', output: { runId: childId, outcome: 'succeeded' } });
  });

  it('run-scenario: a failed run fails the step, a warning warns; a loop is refused', async () => {
    const world = await createScenarioWorld();
    const { railyard } = world;
    await railyard.scenarios.define({ id: 'bad', steps: [{ type: 'fail' }] }, { by: operator });
    await railyard.scenarios.define({ id: 'meh', steps: [{ type: 'warn' }] }, { by: operator });
    await railyard.scenarios.define(
      {
        id: 'parent',
        steps: [
          { type: 'railyard/run-scenario', params: { scenario: 'meh' } },
          { type: 'railyard/run-scenario', params: { scenario: 'bad' } },
        ],
      },
      { by: operator },
    );
    const run = await runToEnd(world, 'parent');
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', warning: expect.stringContaining('ended warning') });
    expect(run.steps[1]).toMatchObject({
      status: 'failed',
      error: { message: expect.stringMatching(/scenario bad ended failed: step #1 failed: boom/) },
    });
    await expect(
      railyard.scenarios.define(
        { id: 'self', steps: [{ type: 'railyard/run-scenario', params: { scenario: 'self' } }] },
        { by: operator },
      ),
    ).rejects.toThrow(ValidationError);
    await railyard.scenarios.define(
      { id: 'ping', steps: [{ type: 'railyard/run-scenario', params: { scenario: 'pong' } }] },
      { by: operator },
    );
    await railyard.scenarios.define(
      { id: 'pong', steps: [{ type: 'railyard/run-scenario', params: { scenario: 'ping' } }] },
      { by: operator },
    );
    const ping = await runToEnd(world, 'ping');
    expect(ping.status).toBe('failed');
    const pong = await railyard.scenarios.runs({ scenario: 'pong' });
    expect(pong[0]?.steps[0]).toMatchObject({
      status: 'failed',
      error: { message: 'running ping from ping → pong would loop' },
    });
  });

  it('run-scenario gives up at its timeout and aborts the run it waited for', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock } = world;
    await railyard.scenarios.define(
      { id: 'slow', steps: [{ type: 'railyard/wait', params: { ms: 60_000 } }] },
      { by: operator },
    );
    await railyard.scenarios.define(
      { id: 'impatient', steps: [{ type: 'railyard/run-scenario', params: { scenario: 'slow' }, timeoutMs: 10_000 }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('impatient', { by: operator });
    await railyard.settle();
    await clock.advance(10_000);
    await railyard.settle();
    expect(await railyard.scenarios.getRun(id)).toMatchObject({
      status: 'failed',
      steps: [{ error: { code: 'TIMEOUT' } }],
    });
    expect(await railyard.scenarios.runs({ scenario: 'slow' })).toMatchObject([{ status: 'aborted' }]);
  });

  it('set-variables sets scenario variables for later steps', async () => {
    const world = await createScenarioWorld();
    await world.railyard.scenarios.define(
      {
        id: 'vars',
        variables: { a: 1 },
        steps: [{ type: 'railyard/set-variables', params: { values: { b: 2 } } }, { type: 'ok' }],
      },
      { by: operator },
    );
    const run = await runToEnd(world, 'vars');
    expect(world.host.calls[0]?.ctx.variables).toEqual({ a: 1, b: 2 });
    expect(run.variables).toEqual({ a: 1, b: 2 });
  });

  it('wait waits on the clock, without holding the worker', async () => {
    const world = await createScenarioWorld();
    const { railyard, clock, host } = world;
    await railyard.scenarios.define(
      { id: 'pause', steps: [{ type: 'railyard/wait', params: { ms: 5 * 60_000 } }, { type: 'ok' }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('pause', { by: operator });
    await railyard.settle();
    expect(clock.pending()).toBe(0);
    expect((await railyard.tick()).nextAt).toBe(Date.parse('2026-03-02T09:05:00.000Z'));
    await clock.advance(5 * 60_000 - 1);
    await railyard.settle();
    expect(host.calls).toHaveLength(0);
    await clock.advance(1);
    await railyard.settle();
    const run = await railyard.scenarios.getRun(id);
    expect(run && statuses(run)).toEqual(['succeeded', 'succeeded']);
    expect(run?.steps[0]).toMatchObject({ durationMs: 5 * 60_000 });
  });

  it('check-monitors reads health now: passes when ok, warns on warning, fails on critical', async () => {
    const host: Host = { calls: [], failures: new Map(), release: [] };
    const world = await createWorld({ steps: hostSteps(host) });
    const { railyard } = world;
    let rate = 0.01;
    railyard.registerProbe('rate', () => ({ value: rate }));
    const production = (await railyard.environments.get('production'))!;
    await railyard.environments.define({
      ...production.definition,
      verification: {
        scenarios: [],
        bakeTimeMs: 2 * 60_000,
        watchMs: 30 * 60_000,
        monitors: [
          {
            id: 'rate',
            probe: 'rate',
            intervalMs: 60_000,
            thresholds: { warning: 0.02, critical: 0.05, direction: 'above' },
          },
        ],
      },
    });
    await promoteToProduction(world, '1.0.0');
    await bake(world, 5);
    await railyard.scenarios.define(
      { id: 'check', environment: 'production', steps: [{ type: 'railyard/check-monitors' }] },
      { by: operator },
    );
    const check = async () => {
      const { id } = await railyard.scenarios.run('check', { by: operator });
      await railyard.settle();
      return railyard.scenarios.getRun(id);
    };
    expect(await check()).toMatchObject({
      status: 'succeeded',
      steps: [{ output: { environment: 'production', level: 'ok' } }],
    });
    rate = 0.03;
    await bake(world, 1);
    expect(await check()).toMatchObject({
      status: 'warning',
      steps: [{ warning: 'production is warning: monitor rate is warning' }],
    });
    rate = 0.09;
    await bake(world, 1);
    expect(await check()).toMatchObject({
      status: 'failed',
      steps: [{ status: 'failed', error: { message: 'production is critical: monitor rate is critical' } }],
    });
  });
});

describe('one step registry for verification and scenario runs', () => {
  it('gives a step the deployment the run’s environment runs, and none when the run names no environment', async () => {
    const world = await createWorld();
    const { railyard, health } = world;
    const seen: Array<string | undefined> = [];
    railyard.scenarios.registerStep('who', {
      params: z.object({}),
      run: ({ deployment, snapshot }) => void seen.push(deployment && `${deployment.id}@${snapshot?.version}`),
    });
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    await railyard.scenarios.define(
      { id: 'smoke-again', steps: [{ type: 'smoke', params: { path: '/health' } }, { type: 'who' }] },
      { by: operator },
    );
    const { id } = await railyard.scenarios.run('smoke-again', { by: operator, environment: 'production' });
    await railyard.settle();
    expect((await railyard.scenarios.getRun(id))?.status).toBe('succeeded');
    expect(health.smokeCalls.at(-1)).toBe(`${id}:0`);
    const bare = await railyard.scenarios.run('smoke-again', { by: operator });
    await railyard.settle();
    expect((await railyard.scenarios.getRun(bare.id))?.status).toBe('succeeded');
    expect(seen).toEqual([`${deployment.id}@1.0.0`, undefined]);
  });
});
