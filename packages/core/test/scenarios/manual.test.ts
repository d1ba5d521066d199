import { describe, expect, it } from 'vitest';
import { createScenarioWorld, operator, runToEnd, statuses } from './fixtures.js';

describe('manual runs and the step context', () => {
  it('runs the steps in order with params, variables, outputs, the idempotency key, a logger and the clock', async () => {
    const world = await createScenarioWorld();
    await world.railyard.scenarios.define(
      {
        id: 'refresh',
        variables: { region: 'eu' },
        steps: [
          { name: 'first', type: 'output', params: { value: 42 } },
          { name: 'second', type: 'ok', params: { tag: 'b' } },
        ],
      },
      { by: operator },
    );
    const run = await runToEnd(world, 'refresh', { params: { table: 'orders' }, environment: 'staging' });
    expect(run.status).toBe('succeeded');
    expect(statuses(run)).toEqual(['succeeded', 'succeeded']);
    const [first, second] = world.host.calls;
    expect(first?.ctx.idempotencyKey).toBe(`${run.id}:0`);
    expect(second?.ctx).toMatchObject({
      idempotencyKey: `${run.id}:1`,
      attempt: 1,
      params: { tag: 'b' },
      variables: { region: 'eu', last: 42 },
      outputs: { first: 42 },
      run: { id: run.id, scenario: 'refresh', params: { table: 'orders' }, environment: 'staging' },
    });
    expect(second?.ctx.clock.now().toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(run.steps[0]).toMatchObject({ output: 42, logs: [{ level: 'info', message: 'returning 42' }] });
    expect(run.variables).toEqual({ region: 'eu', last: 42 });
  });
});
