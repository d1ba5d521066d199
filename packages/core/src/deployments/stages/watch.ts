import type { DeploymentIn } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { decideRollback } from '../../policy/rollback-policy.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import type { Read } from '../../runtime/read.js';
import { KIND, readDeployment } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { withStatus } from '../environment-state.js';
import { createRollback } from '../rollback-deployment.js';
import { actingCritical, criticalReason, dropProbes, monitorRound } from './monitor-round.js';

/**
 * Keeps the monitors of the active deployment watching after activation, until the watch period
 * ends. A critical monitor (not shadow, not silenced) triggers the rollback policy: an automatic
 * rollback to the snapshot the deployment replaced, unless automatic rollback is off, there is
 * nothing to go back to (the environment is then degraded), or the cap is reached (halted).
 * Returns `undefined` when there is no watch in progress.
 * @internal
 */
export async function watchActive(
  context: EngineContext,
  environment: Read<EnvironmentRecord>,
): Promise<StepResult | undefined> {
  const env = environment.value;
  // Without a watch period nothing can be watching: skip the read.
  if (!env.active || env.definition.verification.watchMs === 0) return undefined;
  const deployment = await readDeployment(context, env.active.deploymentId);
  if (deployment?.value.status !== 'active') return undefined;
  const d = deployment.value;
  const watch = d.watch;
  const now = context.clock.now().getTime();
  if (!watch || watch.rollback) return undefined;
  if (Date.parse(watch.until) <= now) {
    // The watch is over: probes still being read no longer count.
    dropProbes(context, { deploymentId: d.id, phase: 'watch', progress: watch.monitors });
    return undefined;
  }
  const monitors = env.definition.verification.monitors;
  const critical = actingCritical(monitors, watch.monitors);
  if (critical) {
    dropProbes(context, { deploymentId: d.id, phase: 'watch', progress: watch.monitors });
    return triggerRollback(
      context,
      environment,
      { value: d, version: deployment.version },
      criticalReason(critical.id, critical.progress),
      'watchCritical',
    );
  }
  const scenarios = env.definition.policy.autoRollback.on.scenarios;
  if (scenarios.length > 0) {
    const scan = await failedScenarioSince(context, {
      environment: env.definition.id,
      after: watch.journalSeq ?? 0,
      scenarios,
      since: d.activatedAt,
    });
    if (scan.failure)
      return triggerRollback(
        context,
        environment,
        { value: d, version: deployment.version },
        scan.failure,
        'scenarioFailed',
      );
    if (scan.seq !== (watch.journalSeq ?? 0)) {
      const next = { ...d, watch: { ...watch, journalSeq: scan.seq }, updatedAt: nowIso(context) };
      await new UnitOfWork(context).put(KIND.deployment, d.id, deployment.version, next).commit();
      return progressed;
    }
  }
  const work = new UnitOfWork(context);
  const round = await monitorRound(context, work, {
    deployment: d,
    snapshot: d.snapshot,
    monitors,
    progress: watch.monitors,
    phase: 'watch',
  });
  if (round.changed) {
    work.put(KIND.deployment, d.id, deployment.version, {
      ...d,
      watch: { ...watch, monitors: round.progress },
      updatedAt: nowIso(context),
    });
    await work.commit();
    round.start();
    return progressed;
  }
  return { progressed: false, nextAt: Math.min(Date.parse(watch.until), round.nextAt) };
}

async function triggerRollback(
  context: EngineContext,
  environment: Read<EnvironmentRecord>,
  deployment: Read<DeploymentIn<'active'>>,
  reason: string,
  signal: 'watchCritical' | 'scenarioFailed',
): Promise<StepResult> {
  const env = environment.value;
  const d = deployment.value;
  const decision = decideRollback(env.definition.policy, {
    signal,
    canRollBack: d.replaces !== null,
    consecutive: env.consecutiveAutoRollbacks,
  });
  const at = nowIso(context);
  const work = new UnitOfWork(context);
  const change = { at, actor: SYSTEM_ACTOR };
  let next: EnvironmentRecord;
  let rollbackId: string | undefined;
  if (d.kind === 'rollback') {
    // A rollback is never rolled back automatically: a person decides what runs.
    next = withStatus(work, env, 'halt', {
      ...change,
      reason: `${reason} while watching rollback ${d.id}; a person must decide`,
    });
  } else if (decision.action === 'none' || !d.replaces) {
    const why = decision.action === 'rollback' ? 'there is nothing to roll back to' : decision.why;
    next = withStatus(work, env, 'degrade', { ...change, reason: `${reason} while watching ${d.id}; ${why}` });
  } else if (decision.action === 'halt') {
    next = withStatus(work, env, 'halt', { ...change, reason: `${reason} while watching ${d.id}; ${decision.why}` });
  } else {
    const created = createRollback(work, {
      environment: env,
      restores: d.replaces.snapshot,
      rollbackOf: d.id,
      actor: SYSTEM_ACTOR,
      reason: `automatic rollback: ${reason} while watching ${d.id}`,
      automatic: true,
      at,
      takeSlot: false,
    });
    rollbackId = created.rollback.id;
    next = withStatus(
      work,
      { ...created.environment, consecutiveAutoRollbacks: env.consecutiveAutoRollbacks + 1 },
      'degrade',
      { ...change, reason: `${reason}; rolling back` },
    );
  }
  // Ending the watch (with the rollback it triggered, if any) keeps one critical reading from acting twice.
  const watch = d.watch ? { ...d.watch, until: at, ...(rollbackId ? { rollback: rollbackId } : {}) } : undefined;
  work.put(KIND.deployment, d.id, deployment.version, { ...d, ...(watch ? { watch } : {}), updatedAt: at });
  work.put(KIND.environment, env.definition.id, environment.version, next);
  await work.commit();
  return progressed;
}

/**
 * Reads the environment's journal after `after` for a run of one of `scenarios` that failed or timed
 * out since `since`. Returns the first such failure and how far the journal was read.
 */
async function failedScenarioSince(
  context: EngineContext,
  input: { environment: string; after: number; scenarios: readonly string[]; since: string },
): Promise<{ seq: number; failure?: string }> {
  let seq = input.after;
  for await (const entry of context.store.readJournal({ environment: input.environment, after: input.after })) {
    seq = entry.seq;
    const { scenario, to } = entry.data as { scenario?: unknown; to?: unknown };
    if (entry.type !== 'scenario.run' || entry.at <= input.since || typeof scenario !== 'string') continue;
    if (input.scenarios.includes(scenario) && (to === 'failed' || to === 'timed_out')) {
      return {
        seq,
        failure: `scenario ${scenario} ${to === 'failed' ? 'failed' : 'timed out'}${entry.reason ? ` (${entry.reason})` : ''}`,
      };
    }
  }
  return { seq };
}
