import type { DeploymentIn, VerificationProgress } from '../../model/deployment.js';
import type { ScenarioDefinition } from '../../model/verification.js';
import { addMs, type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { KIND, readDeployment } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { runScenario } from '../scenario-runner.js';
import { actingCritical, criticalReason, dropProbes, monitorRound, monitorsHealthy } from './monitor-round.js';
import type { StageInput } from './stage.js';
import { verificationFailed, verified } from './verification-outcome.js';
import { verificationScenarios } from './verification-scenarios.js';

/**
 * One step of verification: run one pending scenario (claimed with a lease so that two engines
 * never run it at once), else evaluate the monitors that are due, else decide: failed, verified
 * (scenarios passed, bake time over, every monitor's last result a pass), or wait.
 * @internal
 */
export async function verify(
  context: EngineContext,
  input: StageInput<'verifying'>,
  signal: AbortSignal,
): Promise<StepResult> {
  const d = input.deployment.value;
  const v = d.verification;
  const now = context.clock.now().getTime();
  // Only what this deployment was activated with counts (a fast-tracked rollback has nothing).
  const configured = input.environment.value.definition.verification;
  const scenarios = await verificationScenarios(context, { environment: configured.scenarios, bundleId: d.bundleId });
  const definition = {
    scenarios: scenarios.filter((s) => s.id in v.scenarios),
    monitors: configured.monitors.filter((m) => m.id in v.monitors),
  };

  const pending = definition.scenarios.find((s) => {
    const p = v.scenarios[s.id];
    return (
      p &&
      (p.status === 'pending' ||
        (p.status === 'running' && p.leaseUntil !== undefined && Date.parse(p.leaseUntil) <= now))
    );
  });
  if (pending) return runClaimed(context, input, pending, signal);

  // Monitors first: readings to commit, probes to claim. No probe is awaited here.
  const work = new UnitOfWork(context);
  const round = await monitorRound(context, work, {
    deployment: d,
    snapshot: d.snapshot,
    monitors: definition.monitors,
    progress: v.monitors,
    phase: 'verification',
  });
  if (round.changed) {
    const monitors = round.progress;
    work.put(KIND.deployment, d.id, input.deployment.version, withProgress(d, nowIso(context), { ...v, monitors }));
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
  const critical = actingCritical(definition.monitors, v.monitors);
  if (critical)
    return concluded(
      verificationFailed(context, input, 'monitor-critical', criticalReason(critical.id, critical.progress)),
    );
  if (Date.parse(d.deadlineAt) <= now) {
    const unhealthy = definition.monitors.filter((m) => !monitorsHealthy([m], v.monitors)).map((m) => m.id);
    return concluded(
      verificationFailed(
        context,
        input,
        'deadline',
        `verification did not succeed before ${d.deadlineAt}${unhealthy.length ? ` (monitors not passing: ${unhealthy.join(', ')})` : ''}`,
      ),
    );
  }
  const scenariosDone = Object.values(v.scenarios).every((p) => p.status === 'passed');
  const healthy = monitorsHealthy(definition.monitors, v.monitors);
  // A probe still being read may change the verdict: wait for its reading (or its timeout).
  if (scenariosDone && healthy && !round.inFlight && Date.parse(v.bakeUntil) <= now) return verified(context, input);

  const times = [Date.parse(d.deadlineAt), Date.parse(v.bakeUntil), round.nextAt];
  const leases = Object.values(v.scenarios).flatMap((p) =>
    p.status === 'running' && p.leaseUntil ? [Date.parse(p.leaseUntil)] : [],
  );
  return { progressed: false, nextAt: Math.min(...times.filter((t) => t > now), ...leases) };
}

function withProgress(
  d: DeploymentIn<'verifying'>,
  at: string,
  verification: VerificationProgress,
): DeploymentIn<'verifying'> {
  return { ...d, verification, updatedAt: at };
}

async function runClaimed(
  context: EngineContext,
  input: StageInput<'verifying'>,
  scenario: ScenarioDefinition,
  signal: AbortSignal,
): Promise<StepResult> {
  const d = input.deployment.value;
  const scenarioId = scenario.id;
  const at = nowIso(context);
  const before = d.verification.scenarios[scenarioId] ?? { status: 'pending' as const, runs: 0 };
  const claimed = withProgress(d, at, {
    ...d.verification,
    scenarios: {
      ...d.verification.scenarios,
      [scenarioId]: {
        status: 'running',
        runs: before.runs + 1,
        owner: context.engineId,
        leaseUntil: addMs(at, context.leaseMs),
      },
    },
  });
  const claim = new UnitOfWork(context).put(KIND.deployment, d.id, input.deployment.version, claimed);
  const { versions } = await claim.commit();
  const outcome = await runScenario(context, { scenario, deployment: d, snapshot: d.snapshot, signal });
  // The claim's version fences the result: if the lease expired and another engine took over,
  // this write conflicts and is dropped.
  const current = await readDeployment(context, d.id);
  if (!current || current.version !== versions[0] || current.value.status !== 'verifying') return progressed;
  if (signal.aborted) {
    // The engine is stopping: the run was cut short, which says nothing about the deployment.
    // Hand the scenario back so that the next engine (or this one, restarted) runs it again.
    await new UnitOfWork(context)
      .put(
        KIND.deployment,
        d.id,
        current.version,
        withProgress(current.value, nowIso(context), {
          ...current.value.verification,
          scenarios: {
            ...current.value.verification.scenarios,
            [scenarioId]: { status: 'pending', runs: before.runs + 1 },
          },
        }),
      )
      .commit();
    return progressed;
  }
  const doneAt = nowIso(context);
  const work = new UnitOfWork(context);
  work.put(
    KIND.deployment,
    d.id,
    current.version,
    withProgress(current.value, doneAt, {
      ...current.value.verification,
      scenarios: {
        ...current.value.verification.scenarios,
        [scenarioId]: {
          status: outcome.ok ? 'passed' : 'failed',
          runs: before.runs + 1,
          finishedAt: doneAt,
          ...(outcome.ok ? {} : { error: outcome.error }),
        },
      },
    }),
  );
  work.journal({
    at: doneAt,
    actor: SYSTEM_ACTOR,
    type: 'scenario.finished',
    subject: { kind: 'scenario', id: `${d.environment}/${scenarioId}` },
    environment: d.environment,
    deploymentId: d.id,
    ...(outcome.ok ? {} : { reason: outcome.error }),
    data: { outcome: outcome.ok ? 'passed' : 'failed' },
  });
  work.emit('verification.result', {
    deploymentId: d.id,
    environment: d.environment,
    kind: 'scenario',
    id: scenarioId,
    result: outcome.ok ? 'passed' : 'failed',
    ...(outcome.ok ? {} : { detail: outcome.error }),
  });
  await work.commit();
  return progressed;
}
