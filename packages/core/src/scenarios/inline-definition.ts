import type { Scenario } from '../model/scenario.js';
import type { ScenarioRun } from '../model/scenario-run.js';
import type { EngineContext } from '../runtime/context.js';
import type { ScenarioCache } from './store.js';

/** Verification retry delays double without a cap below a day (as they always have). */
const MAX_INLINE_RETRY_DELAY_MS = 24 * 60 * 60_000;

/**
 * The scenario a run carrying its own definition executes (a verification run): its steps, with
 * retry delays that double, no triggers, reporters nor variables, and the run's timeout. Built
 * from the run alone, so that it is the same for every engine and after restarts.
 * @internal
 */
export function inlineScenario(run: ScenarioRun & { definition: NonNullable<ScenarioRun['definition']> }): Scenario {
  const { definition } = run;
  return {
    id: run.scenario,
    triggers: [],
    steps: definition.steps.map((step) => ({
      ...(step.name === undefined ? {} : { name: step.name }),
      type: step.type,
      params: step.params,
      when: 'on-success',
      retries: step.retries,
      retryDelayMs: step.retryDelayMs,
      backoffFactor: 2,
      maxRetryDelayMs: MAX_INLINE_RETRY_DELAY_MS,
      timeoutMs: step.timeoutMs,
      continueOnError: false,
      failureAs: 'failed',
    })),
    reporters: [],
    concurrency: { policy: 'queue' },
    timeoutMs: definition.timeoutMs,
    graceMs: 0,
    maxQueued: 100,
    variables: {},
    ...(run.environment === undefined ? {} : { environment: run.environment }),
  };
}

/** The definition a run executes: the one it carries, or its stored scenario revision. @internal */
export async function definitionOf(context: EngineContext, cache: ScenarioCache, run: ScenarioRun): Promise<Scenario> {
  if (run.definition) return inlineScenario({ ...run, definition: run.definition });
  return cache.revision(context, run.scenario, run.revision);
}
