import type { ScenarioPoll } from '../contracts/polls.js';
import type { StepType } from '../contracts/steps.js';
import { ValidationError } from '../errors/errors.js';
import { parseInput } from '../model/parse-input.js';
import { Slug } from '../model/primitives.js';
import type { ScenarioInput, ScenarioRecord } from '../model/scenario.js';
import type { ScenarioRun, ScenarioRunIn } from '../model/scenario-run.js';
import type { HostSchema } from '../model/standard-schema.js';
import type { EngineContext } from '../runtime/context.js';
import type { StepResult } from '../runtime/step-result.js';
import { type AbortRunInput, abortRun } from './abort.js';
import type { ScenarioCondition } from './conditions.js';
import { type DefineScenarioOptions, defineScenario } from './define.js';
import { getRun, listRuns, type RunQuery } from './history.js';
import { type RunScenarioInput, runScenarioNow } from './run-command.js';
import { registerRuntime, runtimeOf, type ScenarioRuntime, timeSortableId } from './runtime.js';
import { type ScenarioStatus, scenarioRevision, scenarioStatus } from './status.js';
import { ScenarioCache } from './store.js';
import { tickScenarioEngine } from './tick.js';

/**
 * Scenarios on a Railyard: definitions, manual runs, aborts, run history, and the code the host
 * registers for them. Runs are executed by the worker (`tick`, `settle`, `start`).
 *
 * @example
 * ```ts
 * railyard.scenarios.registerStep('refresh', refreshStep);
 * await railyard.scenarios.define({ id: 'nightly', triggers: [{ kind: 'schedule', cron: '0 2 * * *' }], steps: [{ type: 'refresh' }] }, { by: operator });
 * const run = await railyard.scenarios.run('nightly', { by: operator });
 * await railyard.settle();
 * console.log((await railyard.scenarios.getRun(run.id))?.status);
 * ```
 */
export interface ScenariosApi {
  /** Stores a definition (journaled); refuses one naming code this site has not registered. */
  define(definition: ScenarioInput, options: DefineScenarioOptions): Promise<ScenarioRecord>;
  /** A scenario, or `null`. */
  get(id: string): Promise<ScenarioRecord | null>;
  /** Every scenario, by id. */
  list(): Promise<ScenarioRecord[]>;
  /** Queues a manual run (the worker starts it); refused when the concurrency policy would drop it. */
  run(id: string, input: RunScenarioInput): Promise<ScenarioRunIn<'queued'>>;
  /** Aborts a queued run at once, or asks the engine running a run to abort it. */
  abort(runId: string, input: AbortRunInput): Promise<ScenarioRun>;
  /** Runs matching a query, newest first. */
  runs(query?: RunQuery): Promise<ScenarioRun[]>;
  /** One run, or `null`. */
  getRun(runId: string): Promise<ScenarioRun | null>;
  /** Queued and running runs, fires in the grace delay, the last run, and when triggers fire next; `null` if unknown. */
  status(id: string): Promise<ScenarioStatus | null>;
  /** One revision of a scenario as it was defined (the one a run executed), or `null`. */
  revision(id: string, revision: number): Promise<ScenarioRecord | null>;
  /**
   * Registers a step type, for scenario runs and verification runs alike (the same registry as the
   * `steps` option of `createRailyard`). Names starting with `railyard/` are reserved for built-ins.
   */
  registerStep<TSchema extends HostSchema>(name: string, step: StepType<TSchema>): void;
  /** Registers a run condition for `{ predicate: name }`. */
  registerCondition(name: string, condition: ScenarioCondition): void;
  /** Registers a poll function for poll triggers. */
  registerPoll(name: string, poll: ScenarioPoll): void;
}

/**
 * Code to register at creation: the `scenarios` option of `createRailyard` (step types go in its
 * `steps` option, one registry for every run).
 *
 * @example
 * ```ts
 * createRailyard({ store, blobs, steps: { refresh }, scenarios: { conditions: { 'big-batch': isBig }, polls: { 'new-files': newFiles } } });
 * ```
 */
export interface ScenarioRegistrations {
  /** Run conditions steps name with `{ predicate: name }`, by name. */
  conditions?: Record<string, ScenarioCondition>;
  /** Poll functions poll triggers name, by name. */
  polls?: Record<string, ScenarioPoll>;
}

/**
 * Creates the scenario engine of a Railyard and its API; the worker reaches it through the
 * engine context ({@link tickScenarios}).
 * @internal
 */
export function createScenarios(
  context: EngineContext,
  registrations: ScenarioRegistrations & { steps?: Record<string, StepType> } = {},
  from: Pick<ScenarioRuntime, 'health'>,
): ScenariosApi {
  const rt: ScenarioRuntime = {
    context,
    health: from.health,
    steps: context.steps,
    conditions: new Map(),
    polls: new Map(),
    cache: new ScenarioCache(),
    executing: new Map(),
    advancing: new Set(),
    newRunId: () => timeSortableId(context.clock.now()),
  };
  registerRuntime(rt);
  const register = <T>(registry: Map<string, T>, what: string, name: string, value: T) => {
    if (typeof name !== 'string' || name.length === 0 || name.length > 200)
      throw new ValidationError(`scenarios.${what}: a name of 1 to 200 characters is required.`);
    if (name.startsWith('railyard/'))
      throw new ValidationError(`scenarios.${what}: names starting with "railyard/" are reserved for built-ins.`);
    if (registry.has(name)) throw new ValidationError(`scenarios.${what}: "${name}" is already registered.`);
    registry.set(name, value);
  };
  const api: ScenariosApi = {
    define: (definition, options) => defineScenario(rt, definition, options),
    get: async (id) => (await rt.cache.get(context, parseInput(Slug, id, 'scenarios.get')))?.value ?? null,
    list: async () => (await rt.cache.list(context)).map((row) => row.value),
    run: (id, input) => runScenarioNow(rt, id, input),
    abort: (runId, input) => abortRun(rt, runId, input),
    runs: (query) => listRuns(rt, query),
    getRun: (runId) => getRun(rt, runId),
    status: (id) => scenarioStatus(rt, id),
    revision: (id, revision) => scenarioRevision(rt, id, revision),
    registerStep: (name, step) => register(rt.steps, 'registerStep', name, step as unknown as StepType),
    registerCondition: (name, condition) => register(rt.conditions, 'registerCondition', name, condition),
    registerPoll: (name, poll) => register(rt.polls, 'registerPoll', name, poll),
  };
  for (const [name, step] of Object.entries(registrations.steps ?? {})) api.registerStep(name, step);
  for (const [name, condition] of Object.entries(registrations.conditions ?? {}))
    api.registerCondition(name, condition);
  for (const [name, poll] of Object.entries(registrations.polls ?? {})) api.registerPoll(name, poll);
  return api;
}

/**
 * One pass of the scenario engine of the Railyard that owns `context` (nothing to do if it has
 * none). Called by the worker's `tick`.
 * @internal
 */
export async function tickScenarios(context: EngineContext, signal: AbortSignal): Promise<StepResult> {
  const rt = runtimeOf(context);
  return rt ? tickScenarioEngine(rt, signal) : { progressed: false };
}
