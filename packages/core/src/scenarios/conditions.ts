import type { OutcomeSoFar, RunCondition } from '../model/scenario.js';
import type { StepReport, TriggerFire } from '../model/scenario-run.js';

/**
 * Where a run stands after the steps done so far: the worst counted outcome, and whether a
 * counted failure stopped it (later `on-success` steps are skipped).
 *
 * @example
 * ```ts
 * const soFar: RunSoFar = outcomeSoFar(run.steps);
 * ```
 */
export interface RunSoFar {
  /** The outcome so far. */
  outcome: OutcomeSoFar;
  /** Whether an earlier step stopped the run (so `on-success` steps are skipped). */
  stopped: boolean;
}

const RANK: Record<OutcomeSoFar, number> = { succeeded: 0, warning: 1, failed: 2 };

/**
 * Folds step reports into the outcome so far: a success with a warning, or a failure counted as
 * a warning, makes it `warning`; a counted failure makes it `failed` and stops the run unless the
 * step had `continueOnError`. Skipped and pending steps count for nothing.
 *
 * @example
 * ```ts
 * outcomeSoFar(run.steps); // { outcome: 'warning', stopped: false }
 * ```
 */
export function outcomeSoFar(steps: readonly StepReport[]): RunSoFar {
  let outcome: OutcomeSoFar = 'succeeded';
  let stopped = false;
  const worse = (candidate: OutcomeSoFar) => {
    if (RANK[candidate] > RANK[outcome]) outcome = candidate;
  };
  for (const step of steps) {
    if (step.status === 'succeeded' && step.warning !== undefined) worse('warning');
    if (step.status === 'failed') {
      worse(step.countsAs);
      if (step.countsAs === 'failed' && !step.continued) stopped = true;
    }
  }
  return { outcome, stopped };
}

/**
 * Whether a run condition holds, for every condition but a predicate (which is host code, and
 * answers `undefined` here).
 *
 * @example
 * ```ts
 * conditionHolds('on-failure', { outcome: 'failed', stopped: true }); // true
 * conditionHolds({ outcomeIs: ['warning'] }, { outcome: 'succeeded', stopped: false }); // false
 * ```
 */
export function conditionHolds(condition: RunCondition, soFar: RunSoFar): boolean | undefined {
  if (condition === 'always') return true;
  if (condition === 'never') return false;
  if (condition === 'on-success') return !soFar.stopped;
  if (condition === 'on-failure') return soFar.outcome === 'failed';
  if ('outcomeIs' in condition) return condition.outcomeIs.includes(soFar.outcome);
  return undefined;
}

/**
 * What a predicate condition sees: the run so far, each finished step by key (its name, or `#n`),
 * the variables, the run's params and what triggered it.
 *
 * @example
 * ```ts
 * railyard.scenarios.registerCondition('has-rows', (run: RunView) => Number(run.steps.count?.output) > 0);
 * ```
 */
export interface RunView {
  /** The run's id. */
  runId: string;
  /** The run's scenario. */
  scenario: string;
  /** The outcome so far. */
  outcome: OutcomeSoFar;
  /** The earlier steps, by step key. */
  steps: Record<
    string,
    {
      /** The step's state. */
      status: StepReport['status'];
      /** Its output, if it succeeded with one. */
      output?: unknown;
      /** Its warning, if any. */
      warning?: string;
      /** Why it failed, if it did. */
      error?: string;
    }
  >;
  /** Scenario variables as set so far. */
  variables: Readonly<Record<string, unknown>>;
  /** The run's params. */
  params: Readonly<Record<string, unknown>>;
  /** What started the run. */
  trigger: TriggerFire;
  /** The environment the run acts on, if any. */
  environment?: string;
}

/**
 * A run condition written in code and registered by name with `scenarios.registerCondition`;
 * steps refer to it as `{ predicate: name }`. A throw fails the step it guards.
 *
 * @example
 * ```ts
 * railyard.scenarios.registerCondition('big-batch', (run) => Number(run.variables.rows) > 1_000_000);
 * ```
 */
export type ScenarioCondition = (run: RunView) => boolean | Promise<boolean>;

/** The {@link RunView} of a run's steps. @internal */
export function viewOf(input: {
  runId: string;
  scenario: string;
  steps: readonly StepReport[];
  variables: Record<string, unknown>;
  params: Record<string, unknown>;
  trigger: TriggerFire;
  environment?: string;
}): RunView {
  const steps: RunView['steps'] = {};
  for (const step of input.steps) {
    if (step.status === 'pending') continue;
    steps[step.key] = {
      status: step.status,
      ...(step.status === 'succeeded' && step.output !== undefined ? { output: step.output } : {}),
      ...(step.status === 'succeeded' && step.warning !== undefined ? { warning: step.warning } : {}),
      ...(step.status === 'failed' ? { error: step.error.message } : {}),
    };
  }
  return {
    runId: input.runId,
    scenario: input.scenario,
    outcome: outcomeSoFar(input.steps).outcome,
    steps,
    variables: input.variables,
    params: input.params,
    trigger: input.trigger,
    ...(input.environment === undefined ? {} : { environment: input.environment }),
  };
}
