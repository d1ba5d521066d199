import { canonicalJson } from '../bundle/canonical-json.js';
import { isRailyardError, ValidationError } from '../errors/errors.js';
import { Actor, type ActorInput } from '../model/actor.js';
import { parseInput } from '../model/parse-input.js';
import { Scenario, type ScenarioInput, type ScenarioRecord, stepKey } from '../model/scenario.js';
import { JournalCursor, type ScenarioLane } from '../model/scenario-run.js';
import { triggerId } from '../model/scenario-trigger.js';
import { validateHostSchema } from '../model/standard-schema.js';
import { KIND, readAs } from '../runtime/records.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import { BUILTIN_STEPS, paramsSchema, resolveStep } from './builtins.js';
import type { ScenarioRuntime } from './runtime.js';
import { readLane } from './store.js';

/**
 * Options of `scenarios.define`: who defines it (journaled).
 *
 * @example
 * ```ts
 * await railyard.scenarios.define(definition, { by: operator } satisfies DefineScenarioOptions);
 * ```
 */
export interface DefineScenarioOptions {
  /** Who defines the scenario; journaled. */
  by: ActorInput;
}

/**
 * Stores a scenario definition (a new revision when it exists), with its lane. Refuses, changing
 * nothing, a definition that does not parse or that names step types, conditions or polls this
 * site has not registered, or step params their type rejects. Triggers whose configuration did not
 * change keep their state (a schedule's last fired instant); new ones start from now.
 * @internal
 */
export async function defineScenario(
  rt: ScenarioRuntime,
  input: ScenarioInput,
  options: DefineScenarioOptions,
): Promise<ScenarioRecord> {
  const definition = parseInput(Scenario, input, 'scenarios.define');
  const by = parseInput(Actor, options?.by, 'scenarios.define (options.by)');
  await checkReferences(rt, definition);
  for (let attempt = 1; ; attempt++) {
    const existing = await rt.cache.get(rt.context, definition.id);
    const lane = await readLane(rt.context, definition.id);
    const at = rt.context.clock.now().toISOString();
    const record: ScenarioRecord = {
      definition,
      revision: (existing?.value.revision ?? 0) + 1,
      definedAt: at,
      definedBy: by,
    };
    const triggers = await syncTriggers(rt, definition, lane?.value.triggers ?? {}, at);
    const laneValue: ScenarioLane = lane
      ? { ...lane.value, triggers }
      : { scenario: definition.id, queued: [], running: [], triggers };
    const work = new UnitOfWork(rt.context)
      .put(KIND.scenario, definition.id, existing?.version ?? null, record)
      .put(KIND.scenarioLane, definition.id, lane?.version ?? null, laneValue)
      // Runs refer to the revision they execute; it never changes once written.
      .put(KIND.scenarioRevision, `${definition.id}@${record.revision}`, null, record)
      .journal({
        at,
        actor: by,
        type: 'scenario.defined',
        subject: { kind: 'scenario', id: definition.id },
        ...(definition.environment === undefined ? {} : { environment: definition.environment }),
        data: { revision: record.revision, steps: definition.steps.length, triggers: definition.triggers.length },
      });
    try {
      await work.commit();
      return record;
    } catch (error) {
      if (!isRailyardError(error, 'VERSION_CONFLICT') || attempt >= 5) throw error;
    }
  }
}

async function checkReferences(rt: ScenarioRuntime, definition: Scenario): Promise<void> {
  const problems: string[] = [];
  const builtins = Object.values(BUILTIN_STEPS).join(', ');
  for (const [index, step] of definition.steps.entries()) {
    const where = `steps.${index} (${stepKey(step, index)})`;
    const resolved = resolveStep(rt, step.type);
    if (!resolved) {
      problems.push(
        `${where}: step type "${step.type}" is not registered on this site; register it with scenarios.registerStep, or use a built-in (${builtins})`,
      );
      continue;
    }
    const params = await validateHostSchema(paramsSchema(resolved), step.params);
    if (!params.ok) problems.push(`${where}.params${params.path ? `.${params.path}` : ''}: ${params.message}`);
    if (step.type === BUILTIN_STEPS.runScenario && (step.params as { scenario?: unknown }).scenario === definition.id)
      problems.push(`${where}: a scenario cannot run itself (that would loop)`);
    if (typeof step.when === 'object' && 'predicate' in step.when && !rt.conditions.has(step.when.predicate))
      problems.push(
        `${where}.when: condition "${step.when.predicate}" is not registered; register it with scenarios.registerCondition`,
      );
  }
  definition.triggers.forEach((trigger, index) => {
    if (trigger.kind === 'poll' && !rt.polls.has(trigger.poll))
      problems.push(
        `triggers.${index}: poll "${trigger.poll}" is not registered; register it with scenarios.registerPoll`,
      );
  });
  if (problems.length > 0) {
    throw new ValidationError(
      `scenarios.define: ${definition.id} refers to code this site lacks (${problems.join('; ')}). Register it, or fix the definition, and call again.`,
      { details: { issues: problems } },
    );
  }
}

/** The durable state of each trigger: kept when its configuration is unchanged, else started now. */
async function syncTriggers(
  rt: ScenarioRuntime,
  definition: Scenario,
  existing: ScenarioLane['triggers'],
  at: string,
): Promise<ScenarioLane['triggers']> {
  const out: ScenarioLane['triggers'] = {};
  let head: number | undefined;
  for (const [index, trigger] of definition.triggers.entries()) {
    const id = triggerId(trigger, index);
    const { params: _params, ...config } = trigger;
    const fingerprint = canonicalJson(config);
    const previous = existing[id];
    if (previous?.fingerprint === fingerprint) {
      out[id] = previous;
      continue;
    }
    if (trigger.kind === 'schedule') out[id] = { fingerprint, lastFiredAt: at };
    else if (trigger.kind === 'poll') out[id] = { fingerprint, lastPolledAt: at };
    else {
      head ??= await journalHead(rt);
      out[id] = { fingerprint, sinceSeq: head };
    }
  }
  return out;
}

/** The sequence number of the last journal entry (read on from the trigger cursor, not from the start). */
async function journalHead(rt: ScenarioRuntime): Promise<number> {
  const cursor = await readAs(rt.context, KIND.scenarioCursor, 'journal', JournalCursor);
  let head = cursor?.value.seq ?? 0;
  for await (const entry of rt.context.store.readJournal({ after: head })) head = entry.seq;
  return head;
}
