import type { DeploymentStatus } from '../model/deployment.js';
import { type Deadlines, defaultDeadlines, type Policy } from '../model/policy.js';
import { addMs } from '../runtime/context.js';

/**
 * When a deployment entering `status` at `at` times out under `policy`.
 * @internal
 */
export function deadlineFor(
  policy: Policy,
  status: keyof Deadlines & DeploymentStatus,
  at: string,
  atLeastMs = 0,
): string {
  const ms = policy.deadlines[status] ?? defaultDeadlines[status];
  return addMs(at, Math.max(ms, atLeastMs));
}
