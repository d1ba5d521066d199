import { IllegalTransitionError, NotFoundError } from '../../errors/errors.js';
import { transitionDeployment } from '../../machines/deployment-transition.js';
import { ApproveInput, DecisionInput, DeploymentId } from '../../model/commands.js';
import type { Deployment } from '../../model/deployment.js';
import { parseInput } from '../../model/parse-input.js';
import { assertMayApprove } from '../../policy/approvals.js';
import { hasAnyRole, roleRefusal } from '../../policy/roles.js';
import { retryOnConflict } from '../../runtime/conflict.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, readBundle, readDeployment, readEnvironment } from '../../runtime/records.js';
import { auditRefusals } from '../../runtime/refusals.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { deadlineFor } from '../deadlines.js';
import { release } from '../environment-state.js';
import { assertHandedOver } from '../handovers/assert-handed-over.js';

async function load(context: EngineContext, id: string, event: 'approve' | 'reject') {
  const deployment = await readDeployment(context, id);
  if (!deployment) throw new NotFoundError('deployment', id);
  if (deployment.value.status !== 'awaiting_approval') {
    throw new IllegalTransitionError({ machine: 'deployment', from: deployment.value.status, event, id });
  }
  const environment = await readEnvironment(context, deployment.value.environment);
  if (!environment) throw new NotFoundError('environment', deployment.value.environment);
  return { deployment: { ...deployment, value: deployment.value }, environment };
}

/**
 * Records an approval bound to the deployment's bundle digest; once the policy's count is reached
 * the deployment is approved and waits for its environment.
 * @internal
 */
export async function approve(context: EngineContext, rawId: string, input: ApproveInput): Promise<Deployment> {
  const id = parseInput(DeploymentId, rawId, 'approve id');
  const command = parseInput(ApproveInput, input, 'approve');
  return retryOnConflict(async () => {
    const { deployment, environment } = await load(context, id, 'approve');
    const d = deployment.value;
    const bundle = await readBundle(context, d.bundleId);
    if (!bundle) throw new NotFoundError('bundle', d.bundleId);
    const policy = environment.value.definition.policy;
    const target = {
      action: 'approve',
      subject: { kind: KIND.deployment, id },
      environment: d.environment,
      deploymentId: id,
    };
    await auditRefusals(context, command.by, target, async () => {
      assertMayApprove({
        policy,
        deployment: d,
        bundle: bundle.value,
        actor: command.by,
        ...(command.bundle ? { digest: command.bundle } : {}),
      });
      await assertHandedOver(context, environment.value, bundle.value, id);
    });
    const at = nowIso(context);
    const approvals = [
      ...d.approvals,
      { by: command.by, at, bundleId: d.bundleId, ...(command.comment ? { comment: command.comment } : {}) },
    ];
    const transitionContext = {
      at,
      actor: command.by,
      ...(command.comment ? { reason: command.comment } : {}),
      data: { approvals: approvals.length, required: policy.approvals.required },
    };
    const { next, effects } =
      approvals.length >= policy.approvals.required
        ? transitionDeployment(d, 'approve', transitionContext, {
            approvals,
            deadlineAt: deadlineFor(policy, 'approved', at),
          })
        : transitionDeployment(d, 'record_approval', transitionContext, { approvals, deadlineAt: d.deadlineAt });
    const work = new UnitOfWork(context);
    work.run(effects, deployment.version);
    await work.commit();
    return next;
  });
}

/**
 * Rejects a deployment awaiting approval; only an approver may.
 * @internal
 */
export async function reject(
  context: EngineContext,
  rawId: string,
  input: { by: unknown; comment?: string },
): Promise<Deployment> {
  const id = parseInput(DeploymentId, rawId, 'reject id');
  const command = parseInput(DecisionInput, input, 'reject');
  return retryOnConflict(async () => {
    const { deployment, environment } = await load(context, id, 'reject');
    const policy = environment.value.definition.policy;
    const target = {
      action: 'reject',
      subject: { kind: KIND.deployment, id },
      environment: deployment.value.environment,
      deploymentId: id,
    };
    await auditRefusals(context, command.by, target, () => {
      if (!hasAnyRole(command.by, policy.approvals.roles))
        throw roleRefusal('approver-role', command.by, `reject ${id}`, policy.approvals.roles, { deploymentId: id });
    });
    const at = nowIso(context);
    const reason = command.comment ?? command.reason;
    const { next, effects } = transitionDeployment(
      deployment.value,
      'reject',
      { at, actor: command.by, ...(reason ? { reason } : {}) },
      { rejection: { by: command.by, at, ...(reason ? { reason } : {}) } },
    );
    const work = new UnitOfWork(context);
    work.run(effects, deployment.version);
    work.put(
      KIND.environment,
      environment.value.definition.id,
      environment.version,
      release(environment.value, id, at),
    );
    await work.commit();
    return next;
  });
}
