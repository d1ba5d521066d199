import { IdempotencyConflictError, NotFoundError, PolicyError } from '../../errors/errors.js';
import { transitionDeployment } from '../../machines/deployment-transition.js';
import { PromoteInput } from '../../model/commands.js';
import type { Deployment, DeploymentIn } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { parseInput } from '../../model/parse-input.js';
import { retryOnConflict } from '../../runtime/conflict.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { deploymentIdFor, KIND, readBundle, readDeployment, readEnvironment } from '../../runtime/records.js';
import { recordRefusal } from '../../runtime/refusals.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { deadlineFor } from '../deadlines.js';
import { handoverNotice } from '../handovers/notice.js';
import { checkPromotionGates } from './promotion-gates.js';
import { promoteRemote } from './remote.js';

/**
 * Requests a promotion: checks the gates, records the deployment and applies the approval policy
 * in the same commit (awaiting approval, or approved when none is needed), and queues it.
 * With an idempotency key, a repeated call returns the first call's deployment.
 * @internal
 */
export async function promote(context: EngineContext, input: PromoteInput): Promise<Deployment> {
  const command = parseInput(PromoteInput, input, 'promote');
  const target = await readEnvironment(context, command.to);
  if (!target) throw new NotFoundError('environment', command.to, 'Define it with railyard.environments.define first.');
  const bundle = await readBundle(context, command.bundle);
  if (!bundle) throw new NotFoundError('bundle', command.bundle, 'Create or receive the bundle first.');
  if (target.value.definition.remote) return promoteRemote(context, { ...command, bundle: bundle.value });

  let fresh: typeof target | undefined = target;
  return retryOnConflict(async () => {
    // The first attempt uses the read above; a retry after a conflict must read again.
    const environment = fresh ?? (await readEnvironment(context, command.to));
    fresh = undefined;
    if (!environment) throw new NotFoundError('environment', command.to);
    const keyId = command.idempotencyKey ? `${command.to}/${command.idempotencyKey}` : undefined;
    if (keyId) {
      const previous = await replay(context, keyId, command.bundle);
      if (previous) return previous;
    }
    const gates = await checkPromotionGates(context, {
      environment: environment.value,
      bundle: bundle.value,
      by: command.by,
      ...(command.freezeOverride ? { freezeOverride: command.freezeOverride } : {}),
    }).catch(async (error: unknown) => {
      // A refused freeze override is a decision about authority: it is journaled (rate-limited).
      if (error instanceof PolicyError && error.rule === 'freeze-override') {
        await recordRefusal(context, error, command.by, {
          action: 'override freeze',
          subject: { kind: KIND.environment, id: command.to },
          environment: command.to,
        });
      }
      throw error;
    });
    const env = environment.value;
    const at = nowIso(context);
    const sequence = env.sequence + 1;
    const id = deploymentIdFor(env.definition.id, sequence);
    const { manifest } = bundle.value;
    const requested: DeploymentIn<'requested'> = {
      id,
      environment: env.definition.id,
      kind: 'promotion',
      status: 'requested',
      bundleId: bundle.value.id,
      project: manifest.project,
      version: manifest.version,
      requestedBy: command.by,
      requestedAt: at,
      ...(command.reason ? { reason: command.reason } : {}),
      ...(command.idempotencyKey ? { idempotencyKey: command.idempotencyKey } : {}),
      automatic: false,
      approvals: [],
      ...(command.freezeOverride
        ? { freezeOverride: { by: command.by, at, reason: command.freezeOverride.reason } }
        : {}),
      enteredAt: at,
      updatedAt: at,
      deadlineAt: deadlineFor(env.definition.policy, 'requested', at),
    };
    const work = new UnitOfWork(context).journal({
      at,
      actor: command.by,
      type: 'deployment.requested',
      subject: { kind: KIND.deployment, id },
      environment: env.definition.id,
      deploymentId: id,
      ...(command.reason ? { reason: command.reason } : {}),
      data: { bundleId: bundle.value.id, version: manifest.version, freezeOverride: command.freezeOverride?.reason },
    });
    const policy = env.definition.policy;
    const context_ = { at, actor: command.by };
    const { next, effects } =
      policy.approvals.required > 0
        ? transitionDeployment(requested, 'submit', context_, {
            deadlineAt: deadlineFor(policy, 'awaiting_approval', at),
          })
        : transitionDeployment(
            requested,
            'auto_approve',
            { ...context_, reason: 'the policy needs no approval' },
            {
              deadlineAt: deadlineFor(policy, 'approved', at),
            },
          );
    work.run(effects, null);
    const handover = gates.find((gate) => gate.gate === 'handover' && gate.status === 'pending');
    if (handover) {
      work.emit(
        'handover.pending',
        handoverNotice({
          definition: env.definition,
          project: manifest.project,
          ...(manifest.card ? { card: manifest.card } : {}),
          ...(typeof handover.details?.cardDigest === 'string' ? { cardDigest: handover.details.cardDigest } : {}),
          by: command.by.id,
          reason: handover.reason,
          deploymentId: id,
        }),
      );
    }
    const updated: EnvironmentRecord = { ...env, sequence, queue: [...env.queue, id], updatedAt: at };
    work.put(KIND.environment, env.definition.id, environment.version, updated);
    if (keyId) work.put(KIND.idempotency, keyId, null, { deploymentId: id, bundleId: bundle.value.id });
    await work.commit();
    return next;
  });
}

async function replay(context: EngineContext, keyId: string, bundle: string): Promise<Deployment | null> {
  const row = await context.store.get(KIND.idempotency, keyId);
  if (!row) return null;
  const { deploymentId, bundleId } = row.value as { deploymentId: string; bundleId: string };
  if (bundleId !== bundle) {
    throw new IdempotencyConflictError(
      `Idempotency key "${keyId}" was used for ${deploymentId} with bundle ${bundleId}; use a new key for a different request.`,
      { details: { deploymentId, bundleId } },
    );
  }
  return (await readDeployment(context, deploymentId))?.value ?? null;
}
