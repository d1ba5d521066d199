import { isRailyardError } from '../errors/errors.js';
import { deploymentMachine } from '../machines/deployment-machine.js';
import type { Deployment, DeploymentIn, DeploymentStatus } from '../model/deployment.js';
import type { EnvironmentRecord } from '../model/environment.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../runtime/context.js';
import type { Read } from '../runtime/read.js';
import { KIND, readDeployment } from '../runtime/records.js';
import { progressed, type StepResult } from '../runtime/step-result.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import { release } from './environment-state.js';
import { failDeployment } from './fail-deployment.js';
import { reconcileRemote } from './remote-status.js';
import { activate } from './stages/activate.js';
import { preflight } from './stages/preflight.js';
import { startDeployment, transfer } from './stages/transfer.js';
import { verificationFailed } from './stages/verification-outcome.js';
import { verify } from './stages/verify.js';
import { watchActive } from './stages/watch.js';

const idle: StepResult = { progressed: false };

function is<TStatus extends DeploymentStatus>(
  read: Read<Deployment>,
  status: TStatus,
): read is Read<DeploymentIn<TStatus>> {
  return read.value.status === status;
}

/**
 * Advances one environment by at most one committed step: expire a deadline, move the in-flight
 * deployment one stage, or start the next approved deployment in request order. A version
 * conflict means another engine moved first; that counts as progress (look again).
 * @internal
 */
export async function reconcileEnvironment(
  context: EngineContext,
  environment: Read<EnvironmentRecord>,
): Promise<StepResult> {
  try {
    return await step(context, environment);
  } catch (error) {
    if (isRailyardError(error, 'VERSION_CONFLICT')) return progressed;
    throw error;
  }
}

async function step(context: EngineContext, environment: Read<EnvironmentRecord>): Promise<StepResult> {
  if (environment.value.definition.remote) return reconcileRemote(context, environment.value.definition.id);
  const now = context.clock.now().getTime();
  let nextAt = Number.POSITIVE_INFINITY;

  for (const queuedId of environment.value.queue) {
    const queued = await readDeployment(context, queuedId);
    if (!queued || !('deadlineAt' in queued.value)) continue;
    const deadline = Date.parse(queued.value.deadlineAt);
    if (deadline <= now && deploymentMachine.can(queued.value.status, 'timeout'))
      return expire(context, environment, queued);
    nextAt = Math.min(nextAt, deadline);
  }

  const inFlightId = environment.value.inFlight;
  if (inFlightId) {
    const result = await advance(context, environment, inFlightId);
    return { ...result, nextAt: Math.min(nextAt, result.nextAt ?? Number.POSITIVE_INFINITY) };
  }
  const watching = await watchActive(context, environment);
  if (watching?.progressed) return watching;
  if (watching?.nextAt !== undefined) nextAt = Math.min(nextAt, watching.nextAt);
  // A halted environment waits for a person: only a rollback an operator asked for may start.
  const halted = environment.value.status === 'halted';
  for (const queuedId of environment.value.queue) {
    const queued = await readDeployment(context, queuedId);
    if (!queued || !is(queued, 'approved')) continue;
    if (halted && (queued.value.kind !== 'rollback' || queued.value.automatic)) continue;
    return startDeployment(context, { environment, deployment: queued });
  }
  return { progressed: false, ...(Number.isFinite(nextAt) ? { nextAt } : {}) };
}

async function advance(context: EngineContext, environment: Read<EnvironmentRecord>, id: string): Promise<StepResult> {
  const deployment = await readDeployment(context, id);
  if (!deployment || deploymentMachine.isTerminal(deployment.value.status) || deployment.value.status === 'active') {
    // Defensive: a slot held by a finished deployment is released so the queue never blocks.
    const at = nowIso(context);
    await new UnitOfWork(context)
      .put(KIND.environment, environment.value.definition.id, environment.version, release(environment.value, id, at))
      .commit();
    return progressed;
  }
  const d = deployment.value;
  // A claimed activation hook meets its deadline in the activate stage, which reports it as the hook's failure.
  if (is(deployment, 'activating') && deployment.value.hook) return activate(context, { environment, deployment });
  if (d.status !== 'verifying' && 'deadlineAt' in d && Date.parse(d.deadlineAt) <= context.clock.now().getTime()) {
    return expire(context, environment, deployment);
  }
  if (is(deployment, 'approved')) return startDeployment(context, { environment, deployment });
  if (is(deployment, 'transferring')) return transfer(context, { environment, deployment });
  if (is(deployment, 'preflight')) return preflight(context, { environment, deployment });
  if (is(deployment, 'activating')) return activate(context, { environment, deployment });
  if (is(deployment, 'verifying')) return verify(context, { environment, deployment });
  return idle;
}

async function expire(
  context: EngineContext,
  environment: Read<EnvironmentRecord>,
  deployment: Read<Deployment>,
): Promise<StepResult> {
  const d = deployment.value;
  const reason = `no progress in "${d.status}" before its deadline ${'deadlineAt' in d ? d.deadlineAt : ''}`;
  if (is(deployment, 'verifying')) return verificationFailed(context, { environment, deployment }, 'deadline', reason);
  const work = new UnitOfWork(context);
  const next = await failDeployment(context, work, {
    environment: environment.value,
    deployment,
    event: 'timeout',
    failure: { code: 'deadline', reason, at: nowIso(context) },
    actor: SYSTEM_ACTOR,
  });
  work.put(KIND.environment, next.definition.id, environment.version, next);
  await work.commit();
  return progressed;
}
