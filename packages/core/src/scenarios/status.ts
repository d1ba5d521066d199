import { parseInput } from '../model/parse-input.js';
import { Slug } from '../model/primitives.js';
import { ScenarioRecord } from '../model/scenario.js';
import { triggerId } from '../model/scenario-trigger.js';
import { KIND, parseStored } from '../runtime/records.js';
import type { ScenarioRuntime } from './runtime.js';
import { nextScheduled } from './schedule.js';
import { readLane } from './store.js';

/**
 * Where a scenario stands: its queued and running runs, fires waiting out the grace delay, the
 * last run that ended, and when each clock-driven trigger fires next.
 *
 * @example
 * ```ts
 * const status = await railyard.scenarios.status('nightly');
 * console.log(status?.running, status?.next[0]?.at);
 * ```
 */
export interface ScenarioStatus {
  /** The scenario's id. */
  scenario: string;
  /** Its current revision. */
  revision: number;
  /** Runs waiting in its queue, oldest first. */
  queued: string[];
  /** Runs running now. */
  running: string[];
  /** Fires waiting out the grace delay, to start a single run. */
  pending?: {
    /** When the run starts (ISO time). */
    dueAt: string;
    /** How many fires it gathers. */
    fires: number;
  };
  /** The last run that ended. */
  last?: {
    /** Its id. */
    runId: string;
    /** How it ended. */
    status: string;
    /** When (ISO time). */
    finishedAt: string;
  };
  /** When each schedule or poll trigger fires next, soonest first. */
  next: Array<{
    /** The trigger's id. */
    trigger: string;
    /** Its kind. */
    kind: 'schedule' | 'poll';
    /** When it fires next (ISO time). */
    at: string;
  }>;
}

/** A scenario's status, or `null` when it does not exist. @internal */
export async function scenarioStatus(rt: ScenarioRuntime, rawId: unknown): Promise<ScenarioStatus | null> {
  const id = parseInput(Slug, rawId, 'scenarios.status');
  const [scenario, lane] = await Promise.all([rt.cache.get(rt.context, id), readLane(rt.context, id)]);
  if (!scenario || !lane) return null;
  const now = rt.context.clock.now();
  const next: ScenarioStatus['next'] = [];
  for (const [index, trigger] of scenario.value.definition.triggers.entries()) {
    const key = triggerId(trigger, index);
    const state = lane.value.triggers[key];
    if (trigger.kind === 'schedule') {
      const at = nextScheduled(trigger, new Date(state?.lastFiredAt ?? now.toISOString()));
      if (at) next.push({ trigger: key, kind: 'schedule', at: at.toISOString() });
    } else if (trigger.kind === 'poll') {
      const at = Date.parse(state?.lastPolledAt ?? now.toISOString()) + trigger.intervalMs;
      next.push({ trigger: key, kind: 'poll', at: new Date(at).toISOString() });
    }
  }
  const { pending, last } = lane.value;
  return {
    scenario: id,
    revision: scenario.value.revision,
    queued: [...lane.value.queued],
    running: [...lane.value.running],
    ...(pending ? { pending: { dueAt: pending.dueAt, fires: pending.fires.length } } : {}),
    ...(last ? { last } : {}),
    next: next.sort((a, b) => a.at.localeCompare(b.at)),
  };
}

/** One revision of a scenario as it was defined, or `null`. @internal */
export async function scenarioRevision(
  rt: ScenarioRuntime,
  rawId: unknown,
  rawRevision: unknown,
): Promise<ScenarioRecord | null> {
  const id = parseInput(Slug, rawId, 'scenarios.revision');
  const revision = parseInput(ScenarioRecord.shape.revision, rawRevision, 'scenarios.revision');
  const key = `${id}@${revision}`;
  const row = await rt.context.store.get(KIND.scenarioRevision, key);
  return row ? parseStored(KIND.scenarioRevision, key, row.version, row.value, ScenarioRecord) : null;
}
