import { isRailyardError } from '../errors/errors.js';
import { runEffects } from '../machines/scenario-transitions.js';
import { type ScenarioRunIn, VerificationLane } from '../model/scenario-run.js';
import type { ScenarioDefinition } from '../model/verification.js';
import { type EngineContext, SYSTEM_ACTOR } from '../runtime/context.js';
import { KIND } from '../runtime/records.js';
import type { StepResult } from '../runtime/step-result.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';
import { requestAbort } from './abort.js';
import { startRun } from './claim.js';
import { advanceRun } from './executor.js';
import { inlineScenario } from './inline-definition.js';
import { applyRunEffects, runtimeOf, type ScenarioRuntime } from './runtime.js';
import { listParsed, readRun } from './store.js';
import { readVerificationLane, withVerificationLane } from './verification-lane.js';

/**
 * The id of the run that verifies one scenario of a deployment: `<deployment id>:<scenario id>`,
 * the same on every engine and after restarts, so step idempotency keys name the deployment.
 *
 * @example
 * ```ts
 * verificationRunId('production/000042', 'smoke'); // 'production/000042:smoke'
 * ```
 * @internal
 */
export function verificationRunId(deploymentId: string, scenarioId: string): string {
  return `${deploymentId}:${scenarioId}`;
}

/** What a verifying deployment asks of the scenario engine. @internal */
export interface VerificationRunsRequest {
  environment: string;
  deploymentId: string;
  /** The scenarios to run, in order (they run one at a time in the environment). */
  scenarios: readonly ScenarioDefinition[];
  /** How long each run may take (what is left of the deployment's verification). */
  timeoutMs: number;
  at: string;
}

/**
 * Queues one scenario run per verification scenario in the caller's unit of work (so that the
 * runs and the deployment's progress commit together): each run carries its definition, names
 * the environment and the deployment, and joins the environment's verification lane. Answers the
 * run ids by scenario id.
 * @internal
 */
export async function queueVerificationRuns(
  context: EngineContext,
  work: UnitOfWork,
  request: VerificationRunsRequest,
): Promise<Record<string, string>> {
  const read = await readVerificationLane(context, request.environment);
  const lane: VerificationLane = read
    ? structuredClone(read.value)
    : { environment: request.environment, queued: [], running: [] };
  const ids: Record<string, string> = {};
  for (const scenario of request.scenarios) {
    const id = verificationRunId(request.deploymentId, scenario.id);
    const run: ScenarioRunIn<'queued'> = {
      id,
      status: 'queued',
      scenario: scenario.id,
      revision: 1,
      definition: { source: 'verification', steps: scenario.steps, timeoutMs: Math.max(1, request.timeoutMs) },
      trigger: {
        kind: 'verification',
        at: request.at,
        params: {},
        environment: request.environment,
        deploymentId: request.deploymentId,
      },
      params: {},
      environment: request.environment,
      deploymentId: request.deploymentId,
      depth: 0,
      ancestors: [],
      queuedAt: request.at,
      updatedAt: request.at,
      variables: {},
      steps: scenario.steps.map((step, index) => ({
        index,
        key: step.name ?? `#${index + 1}`,
        type: step.type,
        attempts: [],
        logs: [],
        status: 'pending' as const,
      })),
    };
    applyRunEffects(work, runEffects(run, null, { at: request.at, actor: SYSTEM_ACTOR }), null);
    lane.queued.push(id);
    ids[scenario.id] = id;
  }
  work.put(KIND.verificationLane, request.environment, read?.version ?? null, lane);
  return ids;
}

/**
 * Asks verification runs that have not ended to abort (the deployment left `verifying`): queued
 * ones end at once, running ones when the engine running them sees the request. Best effort: a
 * run that already ended stays as it is.
 * @internal
 */
export async function abortVerificationRuns(
  context: EngineContext,
  runIds: readonly string[],
  reason: string,
): Promise<void> {
  const rt = runtimeOf(context);
  if (!rt) return;
  for (const id of runIds) {
    await requestAbort(rt, id, SYSTEM_ACTOR, reason).catch((error: unknown) => {
      if (!isRailyardError(error, 'ILLEGAL_TRANSITION') && !isRailyardError(error, 'NOT_FOUND'))
        context.events.emit('error', error);
    });
  }
}

/**
 * One pass over the environments' verification lanes, in parallel: each environment's running
 * run advanced as far as it goes now, then its next queued run claimed (one at a time per
 * environment, in the order queued) and advanced.
 * @internal
 */
export async function tickVerificationRuns(rt: ScenarioRuntime, signal: AbortSignal): Promise<StepResult> {
  const lanes = await listParsed(rt.context, KIND.verificationLane, (_id, _version, value) =>
    VerificationLane.parse(value),
  );
  const busy = lanes.filter((lane) => lane.value.queued.length > 0 || lane.value.running.length > 0);
  const results = await Promise.all(busy.map((lane) => tickLane(rt, lane.value, signal)));
  let progressed = false;
  let nextAt = Number.POSITIVE_INFINITY;
  for (const result of results) {
    progressed ||= result.progressed;
    nextAt = Math.min(nextAt, result.nextAt ?? Number.POSITIVE_INFINITY);
  }
  return { progressed, ...(Number.isFinite(nextAt) ? { nextAt } : {}) };
}

async function tickLane(rt: ScenarioRuntime, lane: VerificationLane, signal: AbortSignal): Promise<StepResult> {
  const runs = await Promise.all(lane.running.map((id) => advanceRun(rt, id, signal)));
  const claimed = signal.aborted ? undefined : await claimNext(rt, lane.environment);
  if (claimed !== undefined) runs.push(await advanceRun(rt, claimed, signal));
  let progressed = claimed !== undefined;
  let nextAt = Number.POSITIVE_INFINITY;
  for (const run of runs) {
    progressed ||= run.progressed;
    nextAt = Math.min(nextAt, run.nextAt ?? Number.POSITIVE_INFINITY);
  }
  return { progressed, ...(Number.isFinite(nextAt) ? { nextAt } : {}) };
}

/** Starts the environment's next queued verification run when none is running (compare-and-swap on the lane). */
async function claimNext(rt: ScenarioRuntime, environment: string): Promise<string | undefined> {
  const id = await withVerificationLane(rt.context, environment, async (lane, work) => {
    if (lane.running.length > 0 || lane.queued.length === 0) return undefined;
    while (lane.queued.length > 0) {
      const runId = lane.queued.shift() as string;
      const read = await readRun(rt.context, runId);
      // A run that is no longer queued (aborted meanwhile) has no business in the queue: drop it.
      if (read?.value.status !== 'queued' || !read.value.definition) continue;
      const definition = inlineScenario({ ...read.value, definition: read.value.definition });
      const { effects } = startRun(rt, read.value, definition.timeoutMs);
      lane.running.push(runId);
      applyRunEffects(work, effects, read.version);
      return runId;
    }
    return '';
  });
  return id === '' ? undefined : id;
}
