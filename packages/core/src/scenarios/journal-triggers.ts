import { AbortedError, isRailyardError } from '../errors/errors.js';
import type { JournalEntry } from '../model/journal.js';
import type { ScenarioRecord } from '../model/scenario.js';
import { JournalCursor } from '../model/scenario-run.js';
import { type ScenarioTrigger, triggerId } from '../model/scenario-trigger.js';
import type { Read } from '../runtime/read.js';
import { KIND, readAs } from '../runtime/records.js';
import type { StepResult } from '../runtime/step-result.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import { enqueue, type Fire } from './enqueue.js';
import type { ScenarioRuntime } from './runtime.js';
import { readLane } from './store.js';

const CURSOR_ID = 'journal';
const BATCH = 500;
const JOURNAL_KINDS = new Set(['after', 'event', 'deployment']);
const FINISHED = new Set(['succeeded', 'warning', 'failed', 'aborted', 'timed_out']);

/** Whether a scenario has triggers driven by the journal. @internal */
export function readsJournal(scenario: ScenarioRecord): boolean {
  return scenario.definition.triggers.some((t) => JOURNAL_KINDS.has(t.kind));
}

/**
 * Evaluates `after`, `event` and `deployment` triggers against the journal entries appended since
 * the shared cursor, in batches. The fires and the cursor's move commit together (the cursor by
 * compare-and-swap), so each entry fires each trigger exactly once across engines and restarts.
 * A trigger only sees entries appended after it was defined.
 * @internal
 */
export async function fireJournalTriggers(
  rt: ScenarioRuntime,
  scenarios: ReadonlyArray<Read<ScenarioRecord>>,
): Promise<StepResult> {
  const interested = scenarios.filter((s) => readsJournal(s.value));
  if (interested.length === 0) return { progressed: false };
  const cursor = await readAs(rt.context, KIND.scenarioCursor, CURSOR_ID, JournalCursor);
  const lanes = await Promise.all(interested.map((s) => readLane(rt.context, s.value.definition.id)));
  const floor = Math.min(
    ...lanes.flatMap((lane) =>
      Object.values(lane?.value.triggers ?? {}).map((t) => t.sinceSeq ?? Number.POSITIVE_INFINITY),
    ),
  );
  const after = Math.max(cursor?.value.seq ?? 0, Number.isFinite(floor) ? floor : 0);
  const entries: JournalEntry[] = [];
  for await (const entry of rt.context.store.readJournal({ after, limit: BATCH })) entries.push(entry);
  const last = entries.at(-1);
  if (!last) return { progressed: false };

  const work = new UnitOfWork(rt.context);
  const replaced: string[] = [];
  for (const [i, scenario] of interested.entries()) {
    const lane = lanes[i];
    if (!lane) continue;
    const value = structuredClone(lane.value);
    const fires: Fire[] = [];
    for (const entry of entries) {
      for (const [index, trigger] of scenario.value.definition.triggers.entries()) {
        const id = triggerId(trigger, index);
        const since = value.triggers[id]?.sinceSeq;
        if (since === undefined || entry.seq <= since) continue;
        const fire = match(trigger, id, entry, scenario.value.definition.id, rt.context.clock.now().toISOString());
        if (fire) fires.push(fire);
      }
    }
    if (fires.length === 0) continue;
    replaced.push(...(await enqueue(rt, work, value, scenario.value, fires)));
    work.put(KIND.scenarioLane, scenario.value.definition.id, lane.version, value);
  }
  work.put(KIND.scenarioCursor, CURSOR_ID, cursor?.version ?? null, { seq: last.seq });
  try {
    await work.commit();
  } catch (error) {
    // Another engine moved the cursor or a lane first: this batch is read again next pass.
    if (!isRailyardError(error, 'VERSION_CONFLICT')) throw error;
    return { progressed: true };
  }
  for (const id of replaced) rt.executing.get(id)?.abort(new AbortedError('replaced by a newer run'));
  return { progressed: true };
}

/** The fire a journal entry causes for one trigger, if it matches. */
function match(trigger: ScenarioTrigger, id: string, entry: JournalEntry, self: string, at: string): Fire | undefined {
  const data = entry.data as { scenario?: unknown; to?: unknown; depth?: unknown };
  const runEntry = entry.type === 'scenario.run';
  const depth = runEntry && typeof data.depth === 'number' ? data.depth + 1 : 0;
  const base = {
    trigger: id,
    at,
    seq: entry.seq,
    event: entry.type,
    params: { ...trigger.params },
    ...(entry.environment === undefined ? {} : { environment: entry.environment }),
    ...(entry.deploymentId === undefined ? {} : { deploymentId: entry.deploymentId }),
  };
  if (trigger.kind === 'after') {
    if (!runEntry || data.scenario !== trigger.scenario || typeof data.to !== 'string' || !FINISHED.has(data.to))
      return undefined;
    if (trigger.outcomes && !trigger.outcomes.includes(data.to as never)) return undefined;
    return { fire: { ...base, kind: 'after', runId: entry.subject.id }, depth };
  }
  if (trigger.kind === 'event') {
    // A scenario never fires itself through its own runs' entries (that would loop), nor through
    // the entries of its own definition: the trigger only sees what happens after it was defined.
    if ((runEntry || entry.type === 'scenario.skipped') && data.scenario === self) return undefined;
    if (entry.type === 'scenario.defined' && entry.subject.id === self) return undefined;
    if (trigger.environment !== undefined && entry.environment !== trigger.environment) return undefined;
    if (!trigger.types.some((t) => (t.endsWith('*') ? entry.type.startsWith(t.slice(0, -1)) : entry.type === t)))
      return undefined;
    return { fire: { ...base, kind: 'event' }, depth };
  }
  if (trigger.kind === 'deployment') {
    if (entry.type !== 'deployment.transition' || typeof data.to !== 'string') return undefined;
    if (!trigger.on.includes(data.to as never)) return undefined;
    if (trigger.environment !== undefined && entry.environment !== trigger.environment) return undefined;
    return { fire: { ...base, kind: 'deployment' }, depth: 0 };
  }
  return undefined;
}
