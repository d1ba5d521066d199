import { defineStep, type ScenarioStepInput } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bake, createWorld, operator, promoteToProduction, type World } from './fixtures.js';

/** Production verifies with the given scenarios (and keeps its monitor, approvals and rollback policy). */
async function verifyProductionWith(world: World, scenarios: Array<{ id: string; steps: ScenarioStepInput[] }>) {
  const production = await world.railyard.environments.get('production');
  if (!production) throw new Error('production is not defined');
  const { definition } = production;
  await world.railyard.environments.define({
    ...definition,
    verification: { ...definition.verification, scenarios },
  });
}

/** A step that fails while `failures` has some left, and records every attempt's idempotency key. */
function flaky() {
  const state = { failures: 0, keys: [] as string[] };
  const step = defineStep({
    params: z.object({}),
    run: ({ idempotencyKey }) => {
      state.keys.push(idempotencyKey);
      if (state.failures-- > 0) throw new Error('warehouse not reachable');
    },
  });
  return { state, step };
}

describe('verification runs are scenario runs', () => {
  it('appear in scenarios.runs for the deployment, with the deployment being verified in their steps’ context', async () => {
    const seen: Array<string | undefined> = [];
    const world = await createWorld({
      steps: {
        'who-am-i': defineStep({
          params: z.object({}),
          run: ({ deployment, snapshot }) => void seen.push(`${deployment?.id} ${snapshot?.version}`),
        }),
      },
    });
    const { railyard } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    await verifyProductionWith(world, [
      { id: 'smoke', steps: [{ type: 'smoke', params: { path: '/health' } }] },
      { id: 'identity', steps: [{ name: 'who', type: 'who-am-i' }] },
    ]);
    const { deployment } = await promoteToProduction(world, '1.1.0');
    await bake(world);
    expect((await railyard.deployment(deployment.id))?.status).toBe('active');
    // The run saw 1.1.0 while it was being verified, although 1.0.0 was active when verification began.
    expect(seen).toEqual([`${deployment.id} 1.1.0`]);
    const runs = await railyard.scenarios.runs({ deploymentId: deployment.id, order: 'oldest' });
    runs.sort((a, b) => (a.scenario === 'smoke' ? -1 : b.scenario === 'smoke' ? 1 : 0));
    expect(runs).toMatchObject([
      {
        id: `${deployment.id}:smoke`,
        scenario: 'smoke',
        status: 'succeeded',
        environment: 'production',
        deploymentId: deployment.id,
        trigger: { kind: 'verification', environment: 'production', deploymentId: deployment.id },
        definition: { source: 'verification' },
      },
      { id: `${deployment.id}:identity`, scenario: 'identity', status: 'succeeded', steps: [{ key: 'who' }] },
    ]);
    expect(world.health.smokeCalls.at(-1)).toBe(`${deployment.id}:smoke:0`);
    const done = await railyard.deployment(deployment.id);
    expect(done?.status === 'active' && done.scenarios).toEqual({
      smoke: { status: 'passed', runId: `${deployment.id}:smoke`, finishedAt: expect.any(String) },
      identity: { status: 'passed', runId: `${deployment.id}:identity`, finishedAt: expect.any(String) },
    });
    const finished = [];
    for await (const entry of railyard.journal.read({ deploymentId: deployment.id }))
      if (entry.type === 'scenario.finished') finished.push(entry.subject.id);
    expect(finished.sort()).toEqual(['production/identity', 'production/smoke']);
  });

  it('wait for a retry delay on the clock: settle returns, clock.advance makes the retry due', async () => {
    const { state, step } = flaky();
    const world = await createWorld({ steps: { flaky: step } });
    const { railyard, clock } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    await verifyProductionWith(world, [
      { id: 'warehouse', steps: [{ type: 'flaky', retries: 2, retryDelayMs: 30_000 }] },
    ]);
    state.failures = 1;
    const { deployment } = await promoteToProduction(world, '1.1.0');
    await railyard.settle();
    const runId = `${deployment.id}:warehouse`;
    expect(await railyard.scenarios.getRun(runId)).toMatchObject({
      status: 'running',
      steps: [{ status: 'retrying', nextAttemptAt: new Date(clock.now().getTime() + 30_000).toISOString() }],
    });
    expect((await railyard.deployment(deployment.id))?.status).toBe('verifying');
    await clock.advance(29_999);
    await railyard.settle();
    expect(state.keys).toHaveLength(1);
    await clock.advance(1);
    await railyard.settle();
    expect((await railyard.scenarios.getRun(runId))?.status).toBe('succeeded');
    // Every attempt had the same key, naming the deployment.
    expect(state.keys).toEqual([`${runId}:0`, `${runId}:0`]);
    await bake(world);
    expect((await railyard.deployment(deployment.id))?.status).toBe('active');
  });

  it('a failed run fails verification with the run’s reason and rolls back; runs still going are aborted', async () => {
    const { state, step } = flaky();
    const world = await createWorld({ steps: { flaky: step } });
    const { railyard, health } = world;
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    await verifyProductionWith(world, [
      { id: 'smoke', steps: [{ type: 'smoke', params: { path: '/health' } }] },
      { id: 'warehouse', steps: [{ type: 'flaky', retries: 1, retryDelayMs: 10 * 60_000 }] },
    ]);
    health.smokeFailures.set('1.1.0', 1);
    state.failures = 1;
    const { deployment } = await promoteToProduction(world, '1.1.0');
    await bake(world, 2);
    expect(await railyard.deployment(deployment.id)).toMatchObject({
      status: 'rolled_back',
      failure: { code: 'scenario-failed', reason: 'scenario smoke failed: step #1 failed: smoke check returned 500' },
    });
    expect(await railyard.scenarios.runs({ deploymentId: deployment.id, order: 'oldest' })).toMatchObject([
      { scenario: 'smoke', status: 'failed' },
      {
        scenario: 'warehouse',
        status: 'aborted',
        reason: expect.stringContaining(`deployment ${deployment.id} left verifying`),
      },
    ]);
    expect((await railyard.environments.get('production'))?.active?.snapshot.version).toBe('1.0.0');
  });

  it('are aborted when an operator abandons the deployment', async () => {
    const { state, step } = flaky();
    const world = await createWorld({ steps: { flaky: step } });
    const { railyard } = world;
    await verifyProductionWith(world, [
      { id: 'warehouse', steps: [{ type: 'flaky', retries: 1, retryDelayMs: 60_000 }] },
    ]);
    state.failures = 5;
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await railyard.settle();
    expect((await railyard.scenarios.getRun(`${deployment.id}:warehouse`))?.status).toBe('running');
    await railyard.abandon(deployment.id, { by: operator, reason: 'wrong build' });
    await railyard.settle();
    expect(await railyard.scenarios.getRun(`${deployment.id}:warehouse`)).toMatchObject({
      status: 'aborted',
      reason: `deployment ${deployment.id} left verifying: wrong build`,
    });
    expect(state.keys).toHaveLength(1);
  });
});
