import { defineStep, type HostSchema, type StepContext } from '@railyard/core';
import { ValidationError } from '@railyard/core/errors';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createScenarioWorld, operator, runToEnd } from './fixtures.js';

// Step params are any Standard Schema: the same step written with the host's own library.
const libraries: Array<[string, HostSchema<{ table: string; limit: number }>]> = [
  ['zod', z.object({ table: z.string().min(1), limit: z.number().int().default(100) })],
  [
    'valibot',
    v.object({ table: v.pipe(v.string(), v.minLength(1)), limit: v.optional(v.pipe(v.number(), v.integer()), 100) }),
  ],
];

describe('step params as Standard Schemas', () => {
  it.each(libraries)('%s: run sees the params the schema produced (defaults applied)', async (_, params) => {
    const seen: Array<{ table: string; limit: number }> = [];
    const world = await createScenarioWorld({
      steps: { refresh: defineStep({ params, run: (ctx) => void seen.push(ctx.params) }) },
    });
    await world.railyard.scenarios.define(
      { id: 'job', steps: [{ type: 'refresh', params: { table: 'orders' } }] },
      { by: operator },
    );
    const run = await runToEnd(world, 'job');
    expect(run.status).toBe('succeeded');
    expect(seen).toEqual([{ table: 'orders', limit: 100 }]);
  });

  it.each(libraries)(
    '%s: define refuses params the schema rejects, naming the field, and stores nothing',
    async (_, params) => {
      const world = await createScenarioWorld({ steps: { refresh: defineStep({ params, run: () => undefined }) } });
      const define = world.railyard.scenarios.define(
        { id: 'job', steps: [{ type: 'refresh', params: { table: 'orders', limit: 1.5 } }] },
        { by: operator },
      );
      await expect(define).rejects.toBeInstanceOf(ValidationError);
      await expect(define).rejects.toThrow(/steps\.0 \(#1\)\.params\.limit: /);
      expect(await world.railyard.scenarios.get('job')).toBeNull();
    },
  );

  it('validates with an async schema, at definition and before the attempt', async () => {
    const known = new Set(['orders']);
    const params = v.objectAsync({
      table: v.pipeAsync(
        v.string(),
        v.checkAsync(async (table) => known.has(table), 'no such table'),
      ),
    });
    const seen: string[] = [];
    const world = await createScenarioWorld({
      steps: { refresh: defineStep({ params, run: (ctx) => void seen.push(ctx.params.table) }) },
    });
    await expect(
      world.railyard.scenarios.define(
        { id: 'bad', steps: [{ type: 'refresh', params: { table: 'users' } }] },
        { by: operator },
      ),
    ).rejects.toThrow(/params\.table: no such table/);
    await world.railyard.scenarios.define(
      { id: 'job', steps: [{ type: 'refresh', params: { table: 'orders' } }] },
      { by: operator },
    );
    known.delete('orders'); // the table went away after the definition: the attempt refuses to run
    const run = await runToEnd(world, 'job');
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({
      status: 'failed',
      error: { code: 'VALIDATION', retryable: false, message: expect.stringMatching(/table: no such table/) },
    });
    expect(seen).toEqual([]);
  });

  it('types run params from the schema output, whatever the library', () => {
    defineStep({
      params: v.object({ n: v.optional(v.number(), 1) }),
      run: (ctx) => void expectTypeOf(ctx).toEqualTypeOf<StepContext<{ n: number }>>(),
    });
    defineStep({
      params: z.object({ n: z.number().default(1) }),
      run: (ctx) => void expectTypeOf(ctx.params).toEqualTypeOf<{ n: number }>(),
    });
  });
});
