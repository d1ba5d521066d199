import { IN_FLIGHT_STATES } from '../machines/deployment-machine.js';
import type { DeploymentStatus } from '../model/deployment.js';

/**
 * The deployment statuses that hold an environment's single in-flight slot, as the deployment
 * machine defines them. A store that enforces "at most one deployment in flight per environment"
 * itself (a partial unique index, a conditional write) covers exactly these statuses.
 *
 * @example
 * ```ts
 * import { IN_FLIGHT_DEPLOYMENT_STATUSES } from '@railyard/core/adapters';
 *
 * const statuses = IN_FLIGHT_DEPLOYMENT_STATUSES.map((status) => `'${status}'`).join(', ');
 * const sql = `CREATE UNIQUE INDEX one_in_flight ON records ((value ->> 'environment'))
 *   WHERE kind = 'deployment' AND value ->> 'status' IN (${statuses})`;
 * ```
 */
export const IN_FLIGHT_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = Object.freeze([...IN_FLIGHT_STATES]);
