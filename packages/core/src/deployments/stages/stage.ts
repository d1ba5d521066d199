import type { Deployment, DeploymentIn, DeploymentStatus } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import type { Read } from '../../runtime/read.js';
import { KIND } from '../../runtime/records.js';
import { progressed, type StepResult } from '../../runtime/step-result.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { failDeployment } from '../fail-deployment.js';

/** The inputs of a stage: the environment and the in-flight deployment, each with its version. @internal */
export interface StageInput<TStatus extends DeploymentStatus> {
  environment: Read<EnvironmentRecord>;
  deployment: Read<DeploymentIn<TStatus>>;
}

/**
 * Fails the in-flight deployment with a code and reason, as the engine.
 * @internal
 */
export async function failStage(
  context: EngineContext,
  input: { environment: Read<EnvironmentRecord>; deployment: Read<Deployment> },
  code: string,
  reason: string,
): Promise<StepResult> {
  const work = new UnitOfWork(context);
  const environment = await failDeployment(context, work, {
    environment: input.environment.value,
    deployment: input.deployment,
    event: 'fail',
    failure: { code, reason, at: nowIso(context) },
    actor: SYSTEM_ACTOR,
  });
  work.put(KIND.environment, environment.definition.id, input.environment.version, environment);
  await work.commit();
  return progressed;
}
