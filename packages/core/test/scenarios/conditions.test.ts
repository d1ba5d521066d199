import type { RunCondition, ScenarioStepInput } from '@railyard/core';
import { ValidationError } from '@railyard/core/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScenarioWorld, operator, runToEnd, statuses } from './fixtures.js';

async function runSteps(steps: ScenarioStepInput[], options: Parameters<typeof createScenarioWorld>[0] = {}) {
  const world = await createScenarioWorld(options);
  await world.railyard.scenarios.define({ id: 'flow', steps }, { by: operator });
  return { world, run: await runToEnd(world, 'flow') };
}

describe('run conditions', () => {
  it('on-success (the default) skips the steps after a failure; on-failure and always run', async () => {
    const { run } = await runSteps([
      { type: 'fail' },
      { type: 'ok' },
      { type: 'ok', when: 'on-failure' },
      { type: 'ok', when: 'always' },
    ]);
    expect(run.status).toBe('failed');
    expect(statuses(run)).toEqual(['failed', 'skipped', 'succeeded', 'succeeded']);
    expect(run.steps[1]).toMatchObject({ reason: 'an earlier step failed' });
    expect(run).toMatchObject({ reason: 'step #1 failed: boom (default)' });
  });

  it('on-failure is skipped when nothing failed; never never runs', async () => {
    const { run } = await runSteps([{ type: 'ok' }, { type: 'ok', when: 'on-failure' }, { type: 'ok', when: 'never' }]);
    expect(statuses(run)).toEqual(['succeeded', 'skipped', 'skipped']);
    expect(run.status).toBe('succeeded');
  });

  it('outcomeIs runs a step only when the outcome so far is one of those named', async () => {
    const { run } = await runSteps([
      { type: 'warn' },
      { type: 'ok', name: 'if-ok', when: { outcomeIs: ['succeeded'] } },
      { type: 'ok', name: 'if-warning', when: { outcomeIs: ['warning', 'failed'] } },
    ]);
    expect(statuses(run)).toEqual(['succeeded', 'skipped', 'succeeded']);
    expect(run.status).toBe('warning');
  });

  it('a predicate sees the run so far: outcome, steps, outputs, variables, params', async () => {
    const views: unknown[] = [];
    const { run } = await runSteps(
      [
        { name: 'count', type: 'output', params: { value: 1_500_000 } },
        { name: 'big', type: 'ok', when: { predicate: 'big-batch' } },
        { name: 'small', type: 'ok', when: { predicate: 'small-batch' } },
      ],
      {
        scenarios: {
          conditions: {
            'big-batch': (view) => {
              views.push(view);
              return Number(view.steps.count?.output) > 1_000_000;
            },
            'small-batch': async (view) => Number(view.variables.last) <= 1_000_000,
          },
        },
      },
    );
    expect(statuses(run)).toEqual(['succeeded', 'succeeded', 'skipped']);
    expect(run.steps[2]).toMatchObject({ reason: 'predicate "small-batch" answered false' });
    expect(views[0]).toMatchObject({
      outcome: 'succeeded',
      variables: { last: 1_500_000 },
      steps: { count: { status: 'succeeded' } },
    });
  });

  it('a predicate that throws fails the step it guards; an unknown one is refused at definition', async () => {
    const { run } = await runSteps([{ type: 'ok', when: { predicate: 'flaky' } }], {
      scenarios: {
        conditions: {
          flaky: () => {
            throw new Error('no data');
          },
        },
      },
    });
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({ status: 'failed', error: { message: 'no data' } });
    const world = await createScenarioWorld();
    await expect(
      world.railyard.scenarios.define(
        { id: 'x', steps: [{ type: 'ok', when: { predicate: 'nope' } }] },
        { by: operator },
      ),
    ).rejects.toThrow(ValidationError);
    expect(await world.railyard.scenarios.get('x')).toBeNull();
  });

  it('continueOnError lets later on-success steps run but the run still fails; failureAs warning downgrades', async () => {
    const continued = await runSteps([{ type: 'fail', continueOnError: true }, { type: 'ok' }]);
    expect(statuses(continued.run)).toEqual(['failed', 'succeeded']);
    expect(continued.run.status).toBe('failed');
    expect(continued.run.steps[0]).toMatchObject({ continued: true, countsAs: 'failed' });
    const downgraded = await runSteps([{ type: 'fail', failureAs: 'warning' }, { type: 'ok' }]);
    expect(statuses(downgraded.run)).toEqual(['failed', 'succeeded']);
    expect(downgraded.run.status).toBe('warning');
    expect(downgraded.run).toMatchObject({ reason: 'step #1 failed (counted as a warning): boom (default)' });
  });
});

type Behaviour = 'ok' | 'fail' | 'warn';
interface Spec {
  behaviour: Behaviour;
  when: RunCondition;
  continueOnError: boolean;
  failureAs: 'failed' | 'warning';
}

const outcomes = ['succeeded', 'warning', 'failed'] as const;
const spec: fc.Arbitrary<Spec> = fc.record({
  behaviour: fc.constantFrom<Behaviour>('ok', 'fail', 'warn'),
  when: fc.oneof(
    fc.constantFrom<RunCondition>('on-success', 'on-failure', 'always', 'never'),
    fc.subarray([...outcomes], { minLength: 1 }).map((outcomeIs) => ({ outcomeIs })),
  ),
  continueOnError: fc.boolean(),
  failureAs: fc.constantFrom<'failed' | 'warning'>('failed', 'warning'),
});

/** An independent model of how conditions, continueOnError and failureAs decide a run. */
function model(specs: Spec[]) {
  const rank = { succeeded: 0, warning: 1, failed: 2 } as const;
  let outcome: (typeof outcomes)[number] = 'succeeded';
  let stopped = false;
  const ran: string[] = [];
  for (const s of specs) {
    const w = s.when;
    const runs =
      w === 'always' ||
      (w === 'on-success' && !stopped) ||
      (w === 'on-failure' && outcome === 'failed') ||
      (typeof w === 'object' && 'outcomeIs' in w && w.outcomeIs.includes(outcome));
    if (!runs) {
      ran.push('skipped');
      continue;
    }
    const counted = s.behaviour === 'ok' ? 'succeeded' : s.behaviour === 'warn' ? 'warning' : s.failureAs;
    if (rank[counted] > rank[outcome]) outcome = counted;
    if (s.behaviour === 'fail' && s.failureAs === 'failed' && !s.continueOnError) stopped = true;
    ran.push(s.behaviour === 'fail' ? 'failed' : 'succeeded');
  }
  return { ran, outcome };
}

describe('run conditions (property)', () => {
  it('the engine skips, runs and concludes exactly as the model of the conditions says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 6 }), async (specs) => {
        const { run } = await runSteps(
          specs.map((s) => ({
            type: s.behaviour,
            when: s.when,
            continueOnError: s.continueOnError,
            failureAs: s.failureAs,
          })),
        );
        const expected = model(specs);
        expect(statuses(run)).toEqual(expected.ran);
        expect(run.status).toBe(expected.outcome);
      }),
      { numRuns: 80 },
    );
  });
});
