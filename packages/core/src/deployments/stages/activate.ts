import { TimeoutError } from '../../errors/errors.js';
import { transitionAny, transitionDeployment } from '../../machines/deployment-transition.js';
import type { DeploymentIn, VerificationProgress } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import type { HostClaim } from '../../model/host-claim.js';
import { addMs, type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { claimKey, newClaim, renewClaim, viewClaim } from '../../runtime/host-claim.js';
import type { Read } from '../../runtime/read.js';
import { KIND, readDeployment } from '../../runtime/records.js';
import { resolveSnapshot } from '../../runtime/secrets.js';
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
 *
 * The hook is host code, so it never runs inside this pass: a pass claims it on the deployment
 * (`hook`: owner, lease, the `activating` deadline), starts it in the engine's host-work runner and
 * returns; a later pass commits its outcome by compare-and-swap against that claim. A hook that
 * throws fails the deployment (`activation-failed`); one still running at the deadline is aborted
 * and fails it the same way. If this engine dies, the claim lapses and another engine runs the
 * hook again (it receives the same idempotency key).
 * @internal
 */
export async function activate(context: EngineContext, input: StageInput<'activating'>): Promise<StepResult> {
  const d = input.deployment.value;
  const env = input.environment.value;
  if (context.activate) {
    const hook = context.activate;
    const subject = `activate:${d.id}`;
    const view = viewClaim<void>(context, subject, d.hook);
    if (view.kind === 'claim') {
      const claim = newClaim(context, d.deadlineAt);
      await new UnitOfWork(context)
        .put(KIND.deployment, d.id, input.deployment.version, { ...d, hook: claim, updatedAt: nowIso(context) })
        .commit();
      context.host.start(
        claimKey(subject, claim),
        async (signal) =>
          hook({
            deployment: {
              id: d.id,
              environment: d.environment,
              bundleId: d.bundleId,
              version: d.version,
              kind: d.kind,
            },
            snapshot: await resolveSnapshot(context, d.snapshot, {
              environment: d.environment,
              deploymentId: d.id,
              purpose: 'activation',
              signal,
            }),
            idempotencyKey: `${d.id}:activate`,
            signal,
          }),
        {
          describe: {
            span: 'railyard.hook',
            attributes: {
              'railyard.deployment.id': d.id,
              'railyard.environment': d.environment,
              'railyard.bundle.id': d.bundleId,
            },
          },
          release: () => handBack(context, d.id, claim),
          current: async () => (await holding(context, d.id, claim)) !== undefined,
        },
      );
      return progressed;
    }
    if (view.kind === 'held') return { progressed: false, nextAt: view.until };
    if (view.kind === 'running') {
      if (view.renewAt > context.clock.now().getTime())
        return { progressed: false, nextAt: Math.min(view.renewAt, view.deadline) };
      const claim = renewClaim(context, d.hook as HostClaim);
      await new UnitOfWork(context)
        .put(KIND.deployment, d.id, input.deployment.version, { ...d, hook: claim, updatedAt: nowIso(context) })
        .commit();
      return progressed;
    }
    if (view.kind === 'timed-out') {
      const reason = `activation did not finish before the deadline ${d.deadlineAt}`;
      context.host.forget(claimKey(subject, d.hook as HostClaim), new TimeoutError(reason, { retryable: false }));
      return failStage(context, input, 'activation-failed', reason);
    }
    context.host.forget(claimKey(subject, d.hook as HostClaim));
    if (!view.outcome.ok) {
      const error = view.outcome.error;
      return failStage(context, input, 'activation-failed', error instanceof Error ? error.message : String(error));
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
    scenarios: Object.fromEntries(verification.scenarios.map((s) => [s.id, { status: 'pending' as const }])),
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

/** The engine stops while the hook runs: its claim lapses now, so that another engine runs it at once. */
async function handBack(context: EngineContext, id: string, claim: HostClaim): Promise<void> {
  const read = await readDeployment(context, id);
  const d = read?.value;
  if (!read || d?.status !== 'activating' || d.hook?.startedAt !== claim.startedAt || d.hook.owner !== claim.owner)
    return;
  const now = nowIso(context);
  await new UnitOfWork(context)
    .put(KIND.deployment, id, read.version, { ...d, hook: { ...d.hook, leaseUntil: now }, updatedAt: now })
    .commit()
    .catch(() => undefined);
}

/** The deployment, if it is still activating under `claim`. */
async function holding(context: EngineContext, id: string, claim: HostClaim) {
  const read = await readDeployment(context, id);
  const d = read?.value;
  if (!read || d?.status !== 'activating' || d.hook?.startedAt !== claim.startedAt || d.hook.owner !== claim.owner)
    return undefined;
  return read as Read<DeploymentIn<'activating'>>;
}
