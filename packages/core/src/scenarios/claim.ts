import { transitionRun } from '../machines/scenario-transitions.js';
import type { ScenarioRecord } from '../model/scenario.js';
import type { ScenarioRunIn } from '../model/scenario-run.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import { emitReports } from './reporters.js';
import { applyRunEffects, type ScenarioRuntime, withLane } from './runtime.js';
import { readRun } from './store.js';

/** How many runs of a scenario may run at once under its concurrency policy. @internal */
export function capacity(scenario: ScenarioRecord): number {
  const { concurrency } = scenario.definition;
  return concurrency.policy === 'parallel' ? concurrency.max : 1;
}

/**
 * Starts a queued run as this engine's: `running`, owned with a lease, and due to end within
 * `timeoutMs`. Pure: the caller commits the effects with the lane that held the run.
 * @internal
 */
export function startRun(rt: ScenarioRuntime, run: ScenarioRunIn<'queued'>, timeoutMs: number) {
  const now = rt.context.clock.now();
  const at = now.toISOString();
  return transitionRun(
    run,
    'start',
    { at, actor: SYSTEM_ACTOR },
    {
      startedAt: at,
      deadlineAt: new Date(now.getTime() + timeoutMs).toISOString(),
      owner: rt.context.engineId,
      leaseUntil: new Date(now.getTime() + rt.context.leaseMs).toISOString(),
    },
  );
}

/**
 * Claims the first queued run of a scenario when its policy has a free slot: moves it from the
 * lane's queue to its running list and the run from `queued` to `running` (owned by this engine,
 * with a lease, and its overall deadline), in one compare-and-swap commit, so that two engines
 * never start the same run. Emits the start reports. Answers the run id, or `undefined`.
 * @internal
 */
export async function claimNext(rt: ScenarioRuntime, scenario: ScenarioRecord): Promise<string | undefined> {
  const id = await withLane(rt, scenario.definition.id, async (lane, work) => {
    if (lane.running.length >= capacity(scenario) || lane.queued.length === 0) return undefined;
    while (lane.queued.length > 0) {
      const runId = lane.queued.shift() as string;
      const read = await readRun(rt.context, runId);
      // A run that is no longer queued has no business in the queue: drop it.
      if (read?.value.status !== 'queued') continue;
      const definition = await rt.cache.revision(rt.context, read.value.scenario, read.value.revision);
      const { next, effects } = startRun(rt, read.value, definition.timeoutMs);
      lane.running.push(runId);
      applyRunEffects(work, effects, read.version);
      emitReports(work, next, definition, 'start');
      return runId;
    }
    return '';
  });
  return id === '' ? undefined : id;
}
