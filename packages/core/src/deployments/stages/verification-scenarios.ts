import type { ScenarioDefinition } from '../../model/verification.js';
import type { EngineContext } from '../../runtime/context.js';
import { readBundle } from '../../runtime/records.js';

/**
 * The scenarios that verify a deployment: the environment's own, then those the bundle carries from
 * its project descriptor (an environment scenario with the same id wins: production decides).
 * @internal
 */
export async function verificationScenarios(
  context: EngineContext,
  input: { environment: readonly ScenarioDefinition[]; bundleId: string },
): Promise<ScenarioDefinition[]> {
  const carried = (await readBundle(context, input.bundleId))?.value.manifest.scenarios ?? [];
  const own = new Set(input.environment.map((s) => s.id));
  return [...input.environment, ...carried.filter((s) => !own.has(s.id))];
}
