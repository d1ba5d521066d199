import type { ScenarioRecord } from '../model/scenario.js';
import type { ScenarioLane, TriggerFire } from '../model/scenario-run.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';
import { admit } from './admission.js';
import { MAX_DEPTH } from './child-runs.js';
import type { ScenarioRuntime } from './runtime.js';

/** A trigger fire with how deep in a chain of runs it is (an `after` trigger adds one). @internal */
export interface Fire {
  fire: TriggerFire;
  depth: number;
}

/**
 * Turns trigger fires into runs under the scenario's policy, or holds them for the grace delay:
 * with `graceMs`, fires wait in the lane until `graceMs` after the first, then start one run
 * (the last fire, with every fire's params merged, `coalesced` counting them). Catch-up fires of
 * a schedule are each their own run. Fires too deep in a chain of runs are journaled and dropped.
 * Answers the runs that a `replace` policy aborted, to abort them in this process too.
 * @internal
 */
export async function enqueue(
  rt: ScenarioRuntime,
  work: UnitOfWork,
  lane: ScenarioLane,
  scenario: ScenarioRecord,
  fires: readonly Fire[],
): Promise<string[]> {
  const def = scenario.definition;
  const now = rt.context.clock.now();
  const replaced: string[] = [];
  for (const { fire, depth } of fires) {
    if (depth > MAX_DEPTH) {
      work.journal({
        at: now.toISOString(),
        actor: SYSTEM_ACTOR,
        type: 'scenario.skipped',
        subject: { kind: 'scenario', id: def.id },
        reason: `a chain of ${depth} runs triggering each other is too deep (at most ${MAX_DEPTH})`,
        data: { scenario: def.id, reason: 'depth', trigger: fire.kind, firedAt: fire.at },
      });
      continue;
    }
    if (def.graceMs > 0 && !fire.catchUp) {
      lane.pending = lane.pending
        ? {
            ...lane.pending,
            fires: [...lane.pending.fires, fire].slice(-100),
            depth: Math.max(lane.pending.depth, depth),
          }
        : { dueAt: new Date(now.getTime() + def.graceMs).toISOString(), fires: [fire], depth };
      continue;
    }
    const admission = await admit(rt, work, lane, scenario, { fire, by: fire.by ?? SYSTEM_ACTOR, depth });
    replaced.push(...admission.replaced);
  }
  return replaced;
}

/**
 * Starts the one run that fires held for the grace delay owe, once the delay is over. Answers
 * whether it did, and the runs a `replace` policy aborted.
 * @internal
 */
export async function flushPending(
  rt: ScenarioRuntime,
  work: UnitOfWork,
  lane: ScenarioLane,
  scenario: ScenarioRecord,
): Promise<{ flushed: boolean; replaced: string[] }> {
  const pending = lane.pending;
  if (!pending || Date.parse(pending.dueAt) > rt.context.clock.now().getTime()) return { flushed: false, replaced: [] };
  lane.pending = undefined;
  const last = pending.fires.at(-1) as TriggerFire;
  const params = Object.assign({}, ...pending.fires.map((f) => f.params)) as Record<string, unknown>;
  const fire: TriggerFire = {
    ...last,
    params,
    ...(pending.fires.length > 1 ? { coalesced: pending.fires.length } : {}),
  };
  const admission = await admit(rt, work, lane, scenario, { fire, by: fire.by ?? SYSTEM_ACTOR, depth: pending.depth });
  return { flushed: true, replaced: admission.replaced };
}
