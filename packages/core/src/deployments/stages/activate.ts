import { TimeoutError } from '../../errors/errors.js';
import { transitionAny, transitionDeployment } from '../../machines/deployment-transition.js';
import type { VerificationProgress } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { addMs, type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { KIND, readDeployment } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { deadlineFor } from '../deadlines.js';
import { initialMonitorProgress } from './monitors.js';
import { failStage, type StageInput } from './stage.js';
import { verificationScenarios } from './verification-scenarios.js';

/**
 * Makes the snapshot live through the host's activation hook, then moves the environment's active
 * pointer by compare-and-swap, in the same commit as the deployment entering `verifying` and the
 * previous deployment being superseded (or rolled back, when this is a rollback).
 * @internal
 */
export async function activate(context: EngineContext, input: StageInput<'activating'>): Promise<StepResult> {
  const d = input.deployment.value;
  const env = input.environment.value;
  if (context.activate) {
    const controller = new AbortController();
    const remaining = new Date(d.deadlineAt).getTime() - context.clock.now().getTime();
    const timer = new AbortController();
    try {
      await Promise.race([
        context.activate({
          deployment: { id: d.id, environment: d.environment, bundleId: d.bundleId, version: d.version, kind: d.kind },
          snapshot: d.snapshot,
          idempotencyKey: `${d.id}:activate`,
          signal: controller.signal,
        }),
        context.clock.sleep(Math.max(remaining, 0), timer.signal).then(
          () => {
            const timeout = new TimeoutError(`activation did not finish before the deadline ${d.deadlineAt}`, {
              retryable: false,
            });
            controller.abort(timeout);
            throw timeout;
          },
          () => undefined,
        ),
      ]);
    } catch (thrown) {
      // When the deadline aborted the hook, the hook's own rejection may win the race: report the deadline.
      const error = controller.signal.aborted ? controller.signal.reason : thrown;
      return failStage(context, input, 'activation-failed', error instanceof Error ? error.message : String(error));
    } finally {
      timer.abort();
    }
  }
  const at = nowIso(context);
  const work = new UnitOfWork(context);
  const previous = env.active;
  if (previous && previous.deploymentId !== d.id) {
    const replaced = await readDeployment(context, previous.deploymentId);
    const r = replaced?.value;
    if (replaced && r && (r.status === 'active' || r.status === 'rolling_back')) {
      const carried = { snapshot: r.snapshot, replaces: r.replaces, activatedAt: r.activatedAt };
      const change = { at, actor: SYSTEM_ACTOR, reason: `replaced by ${d.id}` };
      if (d.kind === 'rollback') {
        const failure = r.status === 'rolling_back' && r.failure ? { failure: r.failure } : {};
        work.run(
          transitionAny(r, 'revert', change, { ...carried, ...failure, rolledBackBy: d.id }).effects,
          replaced.version,
        );
      } else if (r.status === 'active') {
        work.run(
          transitionDeployment(r, 'supersede', change, { ...carried, supersededBy: d.id }).effects,
          replaced.version,
        );
      }
    }
  }
  // A fast-tracked rollback restores a snapshot that already proved itself: it is healthy once active.
  const fastTrack = d.kind === 'rollback' && env.definition.policy.autoRollback.verifyRollback === 'fast-track';
  const verification = fastTrack
    ? { scenarios: [], monitors: [], bakeTimeMs: 0 }
    : {
        ...env.definition.verification,
        scenarios: await verificationScenarios(context, {
          environment: env.definition.verification.scenarios,
          bundleId: d.bundleId,
        }),
      };
  const progress: VerificationProgress = {
    startedAt: at,
    bakeUntil: addMs(at, verification.bakeTimeMs),
    scenarios: Object.fromEntries(verification.scenarios.map((s) => [s.id, { status: 'pending' as const, runs: 0 }])),
    monitors: Object.fromEntries(verification.monitors.map((m) => [m.id, initialMonitorProgress(at)])),
  };
  work.run(
    transitionDeployment(
      d,
      'activated',
      { at, actor: SYSTEM_ACTOR, data: { replaces: previous?.deploymentId ?? null } },
      {
        snapshot: d.snapshot,
        replaces: previous,
        activatedAt: at,
        startedAt: d.startedAt,
        deadlineAt: deadlineFor(env.definition.policy, 'verifying', at, verification.bakeTimeMs * 2),
        verification: progress,
      },
    ).effects,
    input.deployment.version,
  );
  const next: EnvironmentRecord = {
    ...env,
    active: { deploymentId: d.id, snapshot: d.snapshot, since: at },
    updatedAt: at,
  };
  work.put(KIND.environment, env.definition.id, input.environment.version, next);
  await work.commit();
  return progressed;
}
