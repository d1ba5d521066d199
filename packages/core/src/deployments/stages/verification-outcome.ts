import { transitionDeployment } from '../../machines/deployment-transition.js';
import type { Failure, MonitorProgress } from '../../model/deployment.js';
import { decideRollback } from '../../policy/rollback-policy.js';
import { addMs, type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { KIND } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { deadlineFor } from '../deadlines.js';
import { withStatus } from '../environment-state.js';
import { failDeployment } from '../fail-deployment.js';
import { createRollback } from '../rollback-deployment.js';
import { abortVerification } from './abort-verification.js';
import type { StageInput } from './stage.js';

/**
 * Verification passed: the deployment is `active`, the slot is free, the environment ready, and
 * (for a promotion) the count of consecutive automatic rollbacks starts over.
 * @internal
 */
export async function verified(context: EngineContext, input: StageInput<'verifying'>): Promise<StepResult> {
  const d = input.deployment.value;
  const at = nowIso(context);
  const work = new UnitOfWork(context);
  work.run(
    transitionDeployment(
      d,
      'verified',
      { at, actor: SYSTEM_ACTOR, reason: 'scenarios passed and monitors healthy' },
      {
        snapshot: d.snapshot,
        replaces: d.replaces,
        activatedAt: d.activatedAt,
        verifiedAt: at,
        scenarios: d.verification.scenarios,
        monitors: d.verification.monitors,
        ...watchFrom(input, at),
      },
    ).effects,
    input.deployment.version,
  );
  let env = withStatus(work, input.environment.value, 'heal', { at, actor: SYSTEM_ACTOR, reason: `${d.id} verified` });
  env = {
    ...env,
    inFlight: null,
    consecutiveAutoRollbacks: d.kind === 'promotion' ? 0 : env.consecutiveAutoRollbacks,
    updatedAt: at,
  };
  work.put(KIND.environment, env.definition.id, input.environment.version, env);
  await work.commit();
  return progressed;
}

/** The post-activation watch, carrying the monitors' hysteresis over from verification. */
function watchFrom(
  input: StageInput<'verifying'>,
  at: string,
): { watch?: { until: string; monitors: Record<string, MonitorProgress> } } {
  const { verification, policy } = input.environment.value.definition;
  const { monitors } = input.deployment.value.verification;
  const watched = Object.keys(monitors).length > 0 || policy.autoRollback.on.scenarios.length > 0;
  if (verification.watchMs === 0 || !watched) return {};
  return { watch: { until: addMs(at, verification.watchMs), monitors } };
}

/**
 * Verification failed. A promotion is rolled back automatically to the snapshot it replaced when
 * the policy allows and the cap of consecutive automatic rollbacks is not reached; past the cap the
 * environment halts until a person resumes it. A rollback is never rolled back: it fails and the
 * environment halts.
 * @internal
 */
export async function verificationFailed(
  context: EngineContext,
  input: StageInput<'verifying'>,
  code: string,
  reason: string,
): Promise<StepResult> {
  const d = input.deployment.value;
  const env = input.environment.value;
  const at = nowIso(context);
  const failure: Failure = { code, reason, at };
  const work = new UnitOfWork(context);
  const decision = decideRollback(env.definition.policy, {
    signal: 'verificationFailed',
    canRollBack: d.replaces !== null,
    consecutive: env.consecutiveAutoRollbacks,
  });
  if (d.kind === 'promotion' && decision.action !== 'none') {
    if (decision.action === 'halt' || !d.replaces) {
      const failed = await failDeployment(context, work, {
        environment: env,
        deployment: input.deployment,
        event: 'fail',
        failure,
        actor: SYSTEM_ACTOR,
      });
      const halted = withStatus(work, failed, 'halt', {
        at,
        actor: SYSTEM_ACTOR,
        reason: `${d.id} failed verification (${reason}); ${decision.action === 'halt' ? decision.why : 'halted'}`,
      });
      work.put(KIND.environment, env.definition.id, input.environment.version, halted);
    } else {
      const { environment: withRollback, rollback } = createRollback(work, {
        environment: env,
        restores: d.replaces.snapshot,
        rollbackOf: d.id,
        actor: SYSTEM_ACTOR,
        reason: `automatic rollback: ${reason}`,
        automatic: true,
        at,
        takeSlot: true,
      });
      work.run(
        transitionDeployment(
          d,
          'roll_back',
          { at, actor: SYSTEM_ACTOR, reason, data: { code, rollback: rollback.id } },
          {
            snapshot: d.snapshot,
            replaces: d.replaces,
            activatedAt: d.activatedAt,
            rollback: rollback.id,
            failure,
            deadlineAt: deadlineFor(env.definition.policy, 'rolling_back', at),
          },
        ).effects,
        input.deployment.version,
      );
      const degraded = withStatus(work, withRollback, 'degrade', {
        at,
        actor: SYSTEM_ACTOR,
        reason: `${d.id} failed verification; rolling back`,
      });
      work.put(KIND.environment, env.definition.id, input.environment.version, {
        ...degraded,
        consecutiveAutoRollbacks: env.consecutiveAutoRollbacks + 1,
      });
    }
  } else {
    const next = await failDeployment(context, work, {
      environment: env,
      deployment: input.deployment,
      event: 'fail',
      failure,
      actor: SYSTEM_ACTOR,
    });
    work.put(KIND.environment, env.definition.id, input.environment.version, next);
  }
  await work.commit();
  await abortVerification(context, d, reason);
  return progressed;
}
