import { NotFoundError, ValidationError } from '../../errors/errors.js';
import { RollbackInput } from '../../model/commands.js';
import type { Deployment } from '../../model/deployment.js';
import type { Snapshot } from '../../model/environment.js';
import { parseInput } from '../../model/parse-input.js';
import { Slug } from '../../model/primitives.js';
import { assertOperator } from '../../policy/roles.js';
import { retryOnConflict } from '../../runtime/conflict.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, readDeployment, readEnvironment } from '../../runtime/records.js';
import { auditRefusals } from '../../runtime/refusals.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { createRollback } from '../rollback-deployment.js';

/**
 * Asks to roll an environment back to an earlier deployment's full snapshot (bundle, variables,
 * connection remaps): by default the one the running deployment replaced. Only operators may.
 * @internal
 */
export async function rollback(
  context: EngineContext,
  rawEnvironment: string,
  input: RollbackInput,
): Promise<Deployment> {
  const envId = parseInput(Slug, rawEnvironment, 'rollback environment');
  const command = parseInput(RollbackInput, input, 'rollback');
  return retryOnConflict(async () => {
    const environment = await readEnvironment(context, envId);
    if (!environment) throw new NotFoundError('environment', envId);
    const target = { action: 'rollback', subject: { kind: KIND.environment, id: envId }, environment: envId };
    await auditRefusals(context, command.by, target, () =>
      assertOperator(environment.value.definition.policy, command.by, `roll back ${envId}`),
    );
    const current = environment.value.active;
    if (!current) throw new ValidationError(`rollback: ${envId} runs nothing yet, so there is nothing to roll back.`);
    const restores = await targetSnapshot(context, envId, current.deploymentId, command.to);
    const at = nowIso(context);
    const work = new UnitOfWork(context);
    const { environment: next, rollback: created } = createRollback(work, {
      environment: environment.value,
      restores,
      rollbackOf: current.deploymentId,
      actor: command.by,
      reason: command.reason,
      automatic: false,
      at,
      takeSlot: false,
    });
    work.put(KIND.environment, envId, environment.version, next);
    await work.commit();
    return created;
  });
}

async function targetSnapshot(
  context: EngineContext,
  envId: string,
  currentId: string,
  to: string | undefined,
): Promise<Snapshot> {
  if (to === undefined) {
    const current = await readDeployment(context, currentId);
    const replaced = current && 'replaces' in current.value ? current.value.replaces : null;
    if (!replaced) {
      throw new ValidationError(
        `rollback: ${currentId} replaced nothing, so there is no previous deployment; name one with "to".`,
      );
    }
    return replaced.snapshot;
  }
  const target = await readDeployment(context, to);
  if (!target || target.value.environment !== envId)
    throw new NotFoundError('deployment', to, `It must be an earlier deployment of ${envId}.`);
  if (to === currentId)
    throw new ValidationError(`rollback: ${to} is what ${envId} runs now; name an earlier deployment.`);
  const t = target.value;
  if (!('activatedAt' in t) || !t.activatedAt || !('snapshot' in t) || !t.snapshot) {
    throw new ValidationError(
      `rollback: ${to} never ran in ${envId} (it is ${t.status}); name a deployment that was active.`,
    );
  }
  return t.snapshot;
}
