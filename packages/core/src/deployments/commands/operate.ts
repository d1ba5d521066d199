import { IllegalTransitionError, NotFoundError } from '../../errors/errors.js';
import { deploymentMachine } from '../../machines/deployment-machine.js';
import { transitionAny } from '../../machines/deployment-transition.js';
import { sameActorId } from '../../model/actor.js';
import {
  DecisionInput,
  type DecisionInput as DecisionInputType,
  DeploymentId,
  ResumeInput,
} from '../../model/commands.js';
import type { Deployment } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { parseInput } from '../../model/parse-input.js';
import { Slug } from '../../model/primitives.js';
import { assertOperator, hasAnyRole, operatorRoles, roleRefusal } from '../../policy/roles.js';
import { retryOnConflict } from '../../runtime/conflict.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, readDeployment, readEnvironment } from '../../runtime/records.js';
import { auditRefusals } from '../../runtime/refusals.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { release, withStatus } from '../environment-state.js';
import { failDeployment } from '../fail-deployment.js';
import { abortVerification } from '../stages/abort-verification.js';

async function load(context: EngineContext, id: string) {
  const deployment = await readDeployment(context, id);
  if (!deployment) throw new NotFoundError('deployment', id);
  const environment = await readEnvironment(context, deployment.value.environment);
  if (!environment) throw new NotFoundError('environment', deployment.value.environment);
  return { deployment, environment };
}

/**
 * Withdraws a deployment that has not started. The requester or an operator may.
 * @internal
 */
export async function cancel(context: EngineContext, rawId: string, input: DecisionInputType): Promise<Deployment> {
  const id = parseInput(DeploymentId, rawId, 'cancel id');
  const command = parseInput(DecisionInput, input, 'cancel');
  return retryOnConflict(async () => {
    const { deployment, environment } = await load(context, id);
    const d = deployment.value;
    if (!deploymentMachine.can(d.status, 'cancel'))
      throw new IllegalTransitionError({ machine: 'deployment', from: d.status, event: 'cancel', id });
    const policy = environment.value.definition.policy;
    const target = {
      action: 'cancel',
      subject: { kind: KIND.deployment, id },
      environment: d.environment,
      deploymentId: id,
    };
    await auditRefusals(context, command.by, target, () => {
      if (!sameActorId(command.by.id, d.requestedBy.id) && !hasAnyRole(command.by, operatorRoles(policy)))
        throw roleRefusal(
          'actor-role',
          command.by,
          `cancel ${id}, requested by ${d.requestedBy.id}`,
          operatorRoles(policy),
          {
            deploymentId: id,
            requestedBy: d.requestedBy.id,
          },
        );
    });
    const at = nowIso(context);
    const reason = command.reason ?? command.comment;
    const work = new UnitOfWork(context);
    const next = work.run(
      transitionAny(
        d,
        'cancel',
        { at, actor: command.by, ...(reason ? { reason } : {}) },
        { cancellation: { by: command.by, at, ...(reason ? { reason } : {}) } },
      ).effects,
      deployment.version,
    );
    work.put(KIND.environment, d.environment, environment.version, release(environment.value, id, at));
    await work.commit();
    return next;
  });
}

/**
 * Stops a stuck or unwanted deployment in any unfinished state; it ends `failed` with the
 * operator's reason, and the environment's queue moves on.
 * @internal
 */
export async function abandon(context: EngineContext, rawId: string, input: DecisionInputType): Promise<Deployment> {
  const id = parseInput(DeploymentId, rawId, 'abandon id');
  const command = parseInput(DecisionInput, input, 'abandon');
  return retryOnConflict(async () => {
    const { deployment, environment } = await load(context, id);
    if (!deploymentMachine.can(deployment.value.status, 'abandon')) {
      throw new IllegalTransitionError({ machine: 'deployment', from: deployment.value.status, event: 'abandon', id });
    }
    const target = {
      action: 'abandon',
      subject: { kind: KIND.deployment, id },
      environment: deployment.value.environment,
      deploymentId: id,
    };
    await auditRefusals(context, command.by, target, () =>
      assertOperator(environment.value.definition.policy, command.by, `abandon ${id}`),
    );
    const at = nowIso(context);
    const reason = command.reason ?? command.comment ?? 'abandoned by an operator';
    const work = new UnitOfWork(context);
    const env = await failDeployment(context, work, {
      environment: environment.value,
      deployment,
      event: 'abandon',
      failure: { code: 'abandoned', reason, at, by: command.by },
      actor: command.by,
    });
    work.put(KIND.environment, env.definition.id, environment.version, env);
    await work.commit();
    await abortVerification(context, deployment.value, reason);
    return (await readDeployment(context, id))?.value as Deployment;
  });
}

/**
 * Resumes a halted environment: a person has decided what runs, and automatic rollbacks may
 * happen again (the count of consecutive ones starts over).
 * @internal
 */
export async function resume(
  context: EngineContext,
  rawId: string,
  input: { by: unknown; reason?: string },
): Promise<EnvironmentRecord> {
  const envId = parseInput(Slug, rawId, 'resume environment');
  const command = parseInput(ResumeInput, input, 'resume');
  return retryOnConflict(async () => {
    const environment = await readEnvironment(context, envId);
    if (!environment) throw new NotFoundError('environment', envId);
    if (environment.value.status !== 'halted') {
      throw new IllegalTransitionError({
        machine: 'environment',
        from: environment.value.status,
        event: 'resume',
        id: envId,
      });
    }
    const target = { action: 'resume', subject: { kind: KIND.environment, id: envId }, environment: envId };
    await auditRefusals(context, command.by, target, () =>
      assertOperator(environment.value.definition.policy, command.by, `resume ${envId}`),
    );
    const at = nowIso(context);
    const work = new UnitOfWork(context);
    const running = environment.value.active
      ? await readDeployment(context, environment.value.active.deploymentId)
      : null;
    const activeStatus = running?.value.status ?? null;
    const halted = { ...environment.value, status: 'halted' as const };
    const next = {
      ...withStatus(work, halted, activeStatus === null || activeStatus === 'active' ? 'resume' : 'resume_degraded', {
        at,
        actor: command.by,
        reason: command.reason ?? `resumed by ${command.by.id}`,
        activeStatus,
      }),
      consecutiveAutoRollbacks: 0,
    };
    work.put(KIND.environment, envId, environment.version, next);
    await work.commit();
    return next;
  });
}
