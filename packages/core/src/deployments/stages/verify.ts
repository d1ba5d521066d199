import { scenarioRunMachine } from '../../machines/scenario-run-machine.js';
import type { DeploymentIn, ScenarioProgress, VerificationProgress } from '../../model/deployment.js';
import type { ScenarioRun } from '../../model/scenario-run.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { KIND } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { readRun } from '../../scenarios/store.js';
import { queueVerificationRuns } from '../../scenarios/verification-runs.js';
import { actingCritical, criticalReason, dropProbes, monitorRound, monitorsHealthy } from './monitor-round.js';
import type { StageInput } from './stage.js';
import { verificationFailed, verified } from './verification-outcome.js';
import { verificationScenarios } from './verification-scenarios.js';

/**
 * One step of verification. Host code never runs here: each verification scenario is a scenario
 * run (queued once, with the deployment's progress, in one commit) that the scenario engine runs
 * with its stored retries and deadlines; this stage reads how the runs ended. Then it evaluates the
 * monitors that are due, and decides: failed (a run failed, a monitor is critical, or the
 * deadline passed), verified (every run passed, the bake time is over, every monitor's last result
 * a pass), or wait.
 * @internal
 */
export async function verify(context: EngineContext, input: StageInput<'verifying'>): Promise<StepResult> {
  const d = input.deployment.value;
  const v = d.verification;
  const now = context.clock.now().getTime();
  // Only what this deployment was activated with counts (a fast-tracked rollback has nothing).
  const configured = input.environment.value.definition.verification;
  const monitors = configured.monitors.filter((m) => m.id in v.monitors);

  const pending = Object.keys(v.scenarios).filter((id) => v.scenarios[id]?.status === 'pending');
  if (pending.length > 0) return queueRuns(context, input, pending);
  const ended = await endedRuns(context, v);
  if (ended.length > 0) return recordRuns(context, input, ended);

  // Monitors first: readings to commit, probes to claim. No probe is awaited here.
  const work = new UnitOfWork(context);
  const round = await monitorRound(context, work, {
    deployment: d,
    snapshot: d.snapshot,
    monitors,
    progress: v.monitors,
    phase: 'verification',
  });
  if (round.changed) {
    work.put(
      KIND.deployment,
      d.id,
      input.deployment.version,
      withProgress(d, nowIso(context), { ...v, monitors: round.progress }),
    );
    await work.commit();
    round.start();
    return progressed;
  }
  const concluded = (result: Promise<StepResult>) => {
    dropProbes(context, { deploymentId: d.id, phase: 'verification', progress: v.monitors });
    return result;
  };

  const failedScenario = Object.entries(v.scenarios).find(([, p]) => p.status === 'failed');
  if (failedScenario)
    return concluded(
      verificationFailed(
        context,
        input,
        'scenario-failed',
        `scenario ${failedScenario[0]} failed: ${failedScenario[1].error}`,
      ),
    );
  const critical = actingCritical(monitors, v.monitors);
  if (critical)
    return concluded(
      verificationFailed(context, input, 'monitor-critical', criticalReason(critical.id, critical.progress)),
    );
  if (Date.parse(d.deadlineAt) <= now) {
    const unhealthy = monitors.filter((m) => !monitorsHealthy([m], v.monitors)).map((m) => m.id);
    const running = Object.entries(v.scenarios)
      .filter(([, p]) => p.status === 'running')
      .map(([id]) => id);
    const waiting = [
      ...(unhealthy.length ? [`monitors not passing: ${unhealthy.join(', ')}`] : []),
      ...(running.length ? [`scenarios still running: ${running.join(', ')}`] : []),
    ];
    return concluded(
      verificationFailed(
        context,
        input,
        'deadline',
        `verification did not succeed before ${d.deadlineAt}${waiting.length ? ` (${waiting.join('; ')})` : ''}`,
      ),
    );
  }
  const scenariosDone = Object.values(v.scenarios).every((p) => p.status === 'passed');
  const healthy = monitorsHealthy(monitors, v.monitors);
  // A probe still being read may change the verdict: wait for its reading (or its timeout).
  if (scenariosDone && healthy && !round.inFlight && Date.parse(v.bakeUntil) <= now) return verified(context, input);

  // Runs that end are commits of the scenario engine: the worker looks again then.
  const times = [Date.parse(d.deadlineAt), Date.parse(v.bakeUntil), round.nextAt];
  return { progressed: false, nextAt: Math.min(...times.filter((t) => t > now)) };
}

function withProgress(
  d: DeploymentIn<'verifying'>,
  at: string,
  verification: VerificationProgress,
): DeploymentIn<'verifying'> {
  return { ...d, verification, updatedAt: at };
}

/** Queues the runs of the scenarios not yet under way, and records their ids, in one commit. */
async function queueRuns(
  context: EngineContext,
  input: StageInput<'verifying'>,
  pending: readonly string[],
): Promise<StepResult> {
  const d = input.deployment.value;
  const at = nowIso(context);
  const scenarios = await verificationScenarios(context, {
    environment: input.environment.value.definition.verification.scenarios,
    bundleId: d.bundleId,
  });
  const work = new UnitOfWork(context);
  const ids = await queueVerificationRuns(context, work, {
    environment: d.environment,
    deploymentId: d.id,
    scenarios: scenarios.filter((s) => pending.includes(s.id)),
    timeoutMs: Date.parse(d.deadlineAt) - Date.parse(at),
    at,
  });
  const progress: Record<string, ScenarioProgress> = { ...d.verification.scenarios };
  for (const id of pending) {
    const runId = ids[id];
    // A scenario that is gone from both the environment and the bundle cannot run: it fails.
    progress[id] = runId
      ? { status: 'running', runId }
      : { status: 'failed', error: 'its definition is no longer in the environment nor the bundle', finishedAt: at };
  }
  return commitScenarios(work, input, at, progress);
}

/** Commits the scenarios' progress with whatever else `work` holds. */
async function commitScenarios(
  work: UnitOfWork,
  input: StageInput<'verifying'>,
  at: string,
  scenarios: Record<string, ScenarioProgress>,
): Promise<StepResult> {
  const d = input.deployment.value;
  work.put(KIND.deployment, d.id, input.deployment.version, withProgress(d, at, { ...d.verification, scenarios }));
  await work.commit();
  return progressed;
}

/** The verification runs that ended (or went missing) since the progress was last recorded. */
async function endedRuns(
  context: EngineContext,
  v: VerificationProgress,
): Promise<Array<{ id: string; runId: string; run: ScenarioRun | undefined }>> {
  const running = Object.entries(v.scenarios).flatMap(([id, p]) =>
    p.status === 'running' && p.runId ? [{ id, runId: p.runId }] : [],
  );
  const reads = await Promise.all(running.map(async (r) => ({ ...r, run: (await readRun(context, r.runId))?.value })));
  return reads.filter((r) => !r.run || scenarioRunMachine.isTerminal(r.run.status));
}

/** Records how runs ended: progress, a `scenario.finished` entry and a `verification.result` event each. */
async function recordRuns(
  context: EngineContext,
  input: StageInput<'verifying'>,
  ended: ReadonlyArray<{ id: string; runId: string; run: ScenarioRun | undefined }>,
): Promise<StepResult> {
  const d = input.deployment.value;
  const at = nowIso(context);
  const work = new UnitOfWork(context);
  const progress: Record<string, ScenarioProgress> = { ...d.verification.scenarios };
  for (const { id, runId, run } of ended) {
    const passed = run?.status === 'succeeded' || run?.status === 'warning';
    const error = passed ? undefined : failureOf(runId, run);
    progress[id] = { status: passed ? 'passed' : 'failed', runId, finishedAt: at, ...(error ? { error } : {}) };
    work.journal({
      at,
      actor: SYSTEM_ACTOR,
      type: 'scenario.finished',
      subject: { kind: 'scenario', id: `${d.environment}/${id}` },
      environment: d.environment,
      deploymentId: d.id,
      ...(error ? { reason: error } : {}),
      data: { outcome: passed ? 'passed' : 'failed', runId, ...(run ? { run: run.status } : {}) },
    });
    work.emit('verification.result', {
      deploymentId: d.id,
      environment: d.environment,
      kind: 'scenario',
      id,
      result: passed ? 'passed' : 'failed',
      ...(error ? { detail: error } : {}),
    });
  }
  return commitScenarios(work, input, at, progress);
}

function failureOf(runId: string, run: ScenarioRun | undefined): string {
  if (!run) return `its run ${runId} is missing from the store`;
  const reason = 'reason' in run && run.reason ? run.reason : undefined;
  if (run.status === 'failed') return reason ?? `run ${runId} failed`;
  if (run.status === 'timed_out') return `run ${runId} timed out${reason ? `: ${reason}` : ''}`;
  return `run ${runId} was aborted${reason ? `: ${reason}` : ''}`;
}
