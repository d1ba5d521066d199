import {
  createRailyard,
  defineStep,
  type JournalEntry,
  type MemoryNotifier,
  memoryBlobStore,
  memoryNotifier,
  memoryStateStore,
  type Railyard,
  type RailyardOptions,
  type ScenarioRun,
  type StepContext,
} from '@railyard/core';
import type { StateStore } from '@railyard/core/adapters';
import { createFakeClock, type FakeClock } from '@railyard/core/testing';
import { z } from 'zod';

export const operator = { id: 'operator', roles: ['ops'] };

/** What the host steps saw and did, so that tests can assert on it. */
export interface Host {
  /** Every call of a recording step: its name and context. */
  calls: Array<{ step: string; ctx: StepContext<{ tag?: string }> }>;
  /** Failures left per tag: `fail` throws while the count is positive. */
  failures: Map<string, number>;
  /** Releases the `hang` step's pending calls. */
  release: Array<() => void>;
}

export interface ScenarioWorld {
  railyard: Railyard;
  clock: FakeClock;
  store: StateStore;
  notifier: MemoryNotifier;
  host: Host;
}

const Tag = z.object({ tag: z.string().optional() }).strict();

/** The host steps every scenario test uses: record, fail (while told to), warn, output, hang. */
export function hostSteps(host: Host) {
  const record = (step: string, ctx: StepContext<{ tag?: string }>) => host.calls.push({ step, ctx });
  return {
    ok: defineStep({ params: Tag, run: (ctx) => void record('ok', ctx) }),
    fail: defineStep({
      params: Tag,
      run: (ctx) => {
        record('fail', ctx);
        const key = ctx.params.tag ?? 'default';
        const left = host.failures.get(key) ?? Number.POSITIVE_INFINITY;
        if (left > 0) {
          host.failures.set(key, left - 1);
          throw new Error(`boom (${key})`);
        }
      },
    }),
    warn: defineStep({
      params: Tag,
      run: (ctx) => {
        record('warn', ctx);
        return { warning: 'slow query' };
      },
    }),
    output: defineStep({
      params: z.object({ value: z.unknown(), tag: z.string().optional() }).strict(),
      run: (ctx) => {
        record('output', ctx as never);
        ctx.logger.info(`returning ${JSON.stringify(ctx.params.value)}`);
        return { output: ctx.params.value, variables: { last: ctx.params.value } };
      },
    }),
    hang: defineStep({
      params: Tag,
      run: (ctx) =>
        new Promise<void>((resolve, reject) => {
          record('hang', ctx);
          host.release.push(resolve);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
    }),
  };
}

/** A Railyard on memory stores with a fake clock, the host steps, and a memory notifier. */
export async function createScenarioWorld(options: Partial<RailyardOptions> = {}): Promise<ScenarioWorld> {
  const clock = (options.clock as FakeClock | undefined) ?? createFakeClock('2026-03-02T09:00:00.000Z');
  const store = options.store ?? memoryStateStore();
  const notifier = memoryNotifier();
  const host: Host = { calls: [], failures: new Map(), release: [] };
  const railyard = createRailyard({
    store,
    blobs: memoryBlobStore(),
    clock,
    notifiers: [notifier],
    ...options,
    steps: { ...hostSteps(host), ...options.steps },
  });
  await railyard.environments.define({ id: 'staging' });
  return { railyard, clock, store, notifier, host };
}

/** Runs a scenario by hand and settles; answers the finished run. */
export async function runToEnd(
  world: ScenarioWorld,
  id: string,
  input: Partial<Parameters<Railyard['scenarios']['run']>[1]> = {},
): Promise<ScenarioRun> {
  const queued = await world.railyard.scenarios.run(id, { by: operator, ...input });
  await world.railyard.settle();
  const run = await world.railyard.scenarios.getRun(queued.id);
  if (!run) throw new Error(`run ${queued.id} vanished`);
  return run;
}

/** Waits (without time passing) until the fake clock has a sleeper, i.e. an attempt is under way. */
export async function untilSleeping(clock: FakeClock, count = 1): Promise<void> {
  for (let i = 0; i < 1000 && clock.pending() < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The statuses of a run's steps, in order. */
export const statuses = (run: ScenarioRun) => run.steps.map((s) => s.status);

/** The journal entries of a type, in order. */
export async function journalOf(railyard: Railyard, type: string): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const entry of railyard.journal.read()) if (entry.type === type) out.push(entry);
  return out;
}
