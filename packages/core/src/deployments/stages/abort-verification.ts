import type { Deployment } from '../../model/deployment.js';
import type { EngineContext } from '../../runtime/context.js';
import { abortVerificationRuns } from '../../scenarios/verification-runs.js';

/**
 * Once a deployment has left `verifying` (failed, rolled back, abandoned), asks its verification
 * runs that are still queued or running to abort, with why. Called after the transition commits:
 * the runs belong to the scenario engine, and a run that already ended stays as it is.
 * @internal
 */
export async function abortVerification(context: EngineContext, deployment: Deployment, reason: string): Promise<void> {
  if (deployment.status !== 'verifying') return;
  const open = Object.values(deployment.verification.scenarios).flatMap((p) =>
    p.status === 'running' && p.runId ? [p.runId] : [],
  );
  if (open.length > 0)
    await abortVerificationRuns(context, open, `deployment ${deployment.id} left verifying: ${reason}`);
}
