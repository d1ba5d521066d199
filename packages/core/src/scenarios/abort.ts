import * as z from 'zod';
import { AbortedError, IllegalTransitionError, isRailyardError, NotFoundError } from '../errors/errors.js';
import { scenarioRunMachine } from '../machines/scenario-run-machine.js';
import { transitionRun } from '../machines/scenario-transitions.js';
import { Actor, type ActorInput } from '../model/actor.js';
import { parseInput } from '../model/parse-input.js';
import { Reason } from '../model/primitives.js';
import type { ScenarioLane, ScenarioRun } from '../model/scenario-run.js';
import { KIND } from '../runtime/records.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import { skipAll } from './admission.js';
import { definitionOf } from './inline-definition.js';
import { emitReports } from './reporters.js';
import { applyRunEffects, type ScenarioRuntime, withLane } from './runtime.js';
import { readRun } from './store.js';
import { withVerificationLane } from './verification-lane.js';

/**
 * Input of `scenarios.abort`: who aborts, and why.
 *
 * @example
 * ```ts
 * AbortRunInput.parse({ by: operator, reason: 'wrong params' });
 * ```
 * @hidden
 */
export const AbortRunInput = z.object({ by: Actor, reason: Reason.optional() }).strict();
/** Input of `scenarios.abort`. */
export type AbortRunInput = {
  /** Who aborts; journaled. */
  by: ActorInput;
  /** Why (default `aborted by <id>`). */
  reason?: string;
};

/**
 * Aborts a run. A queued run ends `aborted` at once; a running run is asked to abort: the engine
 * running it aborts the step in progress (its signal fires) and ends the run `aborted`. Journaled.
 * @internal
 */
export async function abortRun(rt: ScenarioRuntime, rawId: unknown, input: AbortRunInput): Promise<ScenarioRun> {
  const id = parseInput(z.string().min(1).max(200), rawId, 'scenarios.abort run id');
  const command = parseInput(AbortRunInput, input, 'scenarios.abort');
  return requestAbort(rt, id, command.by, command.reason ?? `aborted by ${command.by.id}`);
}

/** Aborts a queued run, or records an abort request on a running one. @internal */
export async function requestAbort(rt: ScenarioRuntime, id: string, by: Actor, reason: string): Promise<ScenarioRun> {
  for (let attempt = 1; ; attempt++) {
    const read = await readRun(rt.context, id);
    if (!read) throw new NotFoundError('scenario run', id, 'List runs with railyard.scenarios.runs().');
    const run = read.value;
    if (scenarioRunMachine.isTerminal(run.status))
      throw new IllegalTransitionError({ machine: 'scenario-run', from: run.status, event: 'abort', id });
    try {
      if (run.status === 'queued') {
        const inLane = async <T>(change: (lane: { queued: string[] }, work: UnitOfWork) => Promise<T | undefined>) =>
          run.definition && run.environment !== undefined
            ? withVerificationLane(rt.context, run.environment, change)
            : withLane(rt, run.scenario, change);
        const aborted = await inLane(async (lane, work) => {
          const at = rt.context.clock.now().toISOString();
          const steps = skipAll(run.steps, `aborted before it started: ${reason}`);
          const { next, effects } = transitionRun(
            run,
            'abort',
            { at, actor: by, reason },
            { finishedAt: at, abortedBy: by, reason, steps },
          );
          applyRunEffects(work, effects, read.version);
          emitReports(work, next, await definitionOf(rt.context, rt.cache, run), 'end');
          lane.queued = lane.queued.filter((queued) => queued !== id);
          if ('scenario' in lane) (lane as ScenarioLane).last = { runId: id, status: next.status, finishedAt: at };
          return next;
        });
        if (!aborted) throw new NotFoundError('scenario', run.scenario, 'Its lane is missing; define it again.');
        return aborted;
      }
      if (run.status !== 'running') continue;
      if (run.abortRequested) return run;
      const at = rt.context.clock.now().toISOString();
      const next: ScenarioRun = { ...run, abortRequested: { by, at, reason }, updatedAt: at };
      await new UnitOfWork(rt.context)
        .put(KIND.scenarioRun, id, read.version, next)
        .journal({
          at,
          actor: by,
          type: 'scenario.abort_requested',
          subject: { kind: 'scenario-run', id },
          ...(run.environment === undefined ? {} : { environment: run.environment }),
          ...(run.deploymentId === undefined ? {} : { deploymentId: run.deploymentId }),
          reason,
          data: { scenario: run.scenario },
        })
        .commit();
      rt.executing.get(id)?.abort(new AbortedError(reason));
      return next;
    } catch (error) {
      if (!isRailyardError(error, 'VERSION_CONFLICT') || attempt >= 10) throw error;
    }
  }
}
