import { runEffects, transitionRun } from '../machines/scenario-transitions.js';
import type { Actor } from '../model/actor.js';
import { type ScenarioRecord, stepKey } from '../model/scenario.js';
import type { ScenarioLane, ScenarioRunIn, TriggerFire } from '../model/scenario-run.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import { KIND } from '../runtime/records.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';
import { emitReports } from './reporters.js';
import { applyRunEffects, type ScenarioRuntime } from './runtime.js';
import { readRun } from './store.js';

/** A request to queue one run of a scenario. @internal */
export interface RunRequest {
  /** A run id chosen in advance (a `run-scenario` step records it before the run exists). */
  id?: string;
  fire: TriggerFire;
  by: Actor;
  params?: Record<string, unknown>;
  environment?: string;
  deploymentId?: string;
  depth?: number;
  ancestors?: string[];
}

/** What admission did: the run it queued, or why it skipped; and the runs it replaced. @internal */
export type Admission =
  | { run: ScenarioRunIn<'queued'>; replaced: string[] }
  | { skipped: 'busy' | 'queue-full'; detail: string; replaced: string[] };

/**
 * Applies the scenario's concurrency policy to one request, editing the lane and adding writes to
 * the unit of work (the caller commits both, the lane by compare-and-swap): `queue` and `parallel`
 * queue it (up to `maxQueued`), `skip` drops it while a run is queued or running, `replace` aborts
 * the queued runs and asks the running ones to abort, then queues it. Skips are journaled.
 * @internal
 */
export async function admit(
  rt: ScenarioRuntime,
  work: UnitOfWork,
  lane: ScenarioLane,
  scenario: ScenarioRecord,
  request: RunRequest,
): Promise<Admission> {
  const def = scenario.definition;
  const at = rt.context.clock.now().toISOString();
  const busy = lane.queued.length + lane.running.length;
  const skip = (skipped: 'busy' | 'queue-full', detail: string): Admission => {
    work.journal({
      at,
      actor: request.by,
      type: 'scenario.skipped',
      subject: { kind: 'scenario', id: def.id },
      reason: detail,
      data: { scenario: def.id, reason: skipped, trigger: request.fire.kind, firedAt: request.fire.at },
    });
    return { skipped, detail, replaced: [] };
  };
  if (def.concurrency.policy === 'skip' && busy > 0)
    return skip('busy', `scenario ${def.id} skips runs while one is queued or running (concurrency "skip")`);
  if (def.concurrency.policy !== 'replace' && lane.queued.length >= def.maxQueued)
    return skip('queue-full', `scenario ${def.id} already has ${lane.queued.length} runs queued (maxQueued)`);

  const replaced: string[] = [];
  const run = queuedRun(rt, scenario, request, at);
  if (def.concurrency.policy === 'replace') {
    const reason = `replaced by run ${run.id} (concurrency "replace")`;
    for (const id of lane.queued) {
      const queued = await readRun(rt.context, id);
      if (queued?.value.status !== 'queued') continue;
      const { next, effects } = transitionRun(
        queued.value,
        'abort',
        { at, actor: SYSTEM_ACTOR, reason },
        { finishedAt: at, abortedBy: SYSTEM_ACTOR, reason, steps: skipAll(queued.value.steps, reason) },
      );
      applyRunEffects(work, effects, queued.version);
      const definition =
        queued.value.revision === scenario.revision
          ? def
          : await rt.cache.revision(rt.context, def.id, queued.value.revision);
      emitReports(work, next, definition, 'end');
      replaced.push(id);
    }
    lane.queued = [];
    for (const id of lane.running) {
      const running = await readRun(rt.context, id);
      if (running?.value.status !== 'running' || running.value.abortRequested) continue;
      work.put(KIND.scenarioRun, id, running.version, {
        ...running.value,
        abortRequested: { by: SYSTEM_ACTOR, at, reason },
        updatedAt: at,
      });
      replaced.push(id);
    }
  }
  lane.queued.push(run.id);
  applyRunEffects(work, runEffects(run, null, { at, actor: request.by }), null);
  return { run, replaced };
}

/** A new queued run of a scenario's current revision. @internal */
export function queuedRun(
  rt: ScenarioRuntime,
  scenario: ScenarioRecord,
  request: RunRequest,
  at: string,
): ScenarioRunIn<'queued'> {
  const def = scenario.definition;
  const environment = request.environment ?? request.fire.environment ?? def.environment;
  const deploymentId = request.deploymentId ?? request.fire.deploymentId;
  return {
    id: request.id ?? rt.newRunId(),
    status: 'queued',
    scenario: def.id,
    revision: scenario.revision,
    trigger: request.fire,
    params: { ...request.fire.params, ...request.params },
    ...(environment === undefined ? {} : { environment }),
    ...(deploymentId === undefined ? {} : { deploymentId }),
    depth: request.depth ?? 0,
    ancestors: request.ancestors ?? [],
    queuedAt: at,
    updatedAt: at,
    variables: { ...def.variables },
    steps: def.steps.map((step, index) => ({
      index,
      key: stepKey(step, index),
      type: step.type,
      attempts: [],
      logs: [],
      status: 'pending' as const,
    })),
  };
}

/** The steps of a run that ends before they ran: pending ones skipped with a reason. @internal */
export function skipAll<TStep extends { status: string }>(steps: readonly TStep[], reason: string): TStep[] {
  return steps.map((step) => (step.status === 'pending' ? ({ ...step, status: 'skipped', reason } as TStep) : step));
}
