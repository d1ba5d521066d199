import * as z from 'zod';
import { AbortedError, NotFoundError, PolicyError } from '../errors/errors.js';
import { Actor, type ActorInput } from '../model/actor.js';
import { parseInput } from '../model/parse-input.js';
import { Slug } from '../model/primitives.js';
import type { ScenarioRunIn } from '../model/scenario-run.js';
import { readEnvironment } from '../runtime/records.js';
import { admit } from './admission.js';
import { type ScenarioRuntime, withLane } from './runtime.js';

/**
 * Input of `scenarios.run`: who runs it, its params, and the environment and deployment it acts on.
 *
 * @example
 * ```ts
 * await railyard.scenarios.run('refresh', { by: operator, params: { table: 'orders' }, environment: 'staging' });
 * ```
 * @hidden
 */
export const RunScenarioInput = z
  .object({
    by: Actor,
    params: z.record(z.string(), z.unknown()).default({}),
    environment: Slug.optional(),
    deploymentId: z.string().min(1).max(200).optional(),
  })
  .strict();
/** Input of `scenarios.run`. */
export type RunScenarioInput = z.input<typeof RunScenarioInput>;

/**
 * Queues a manual run under the scenario's concurrency policy and answers it (`queued`); the
 * worker starts it. Refused, changing nothing, when the scenario or environment does not exist, or
 * when the policy would drop it (`skip` while another run is queued or running, or a full queue).
 * @internal
 */
export async function runScenarioNow(
  rt: ScenarioRuntime,
  rawId: unknown,
  input: RunScenarioInput,
): Promise<ScenarioRunIn<'queued'>> {
  const id = parseInput(Slug, rawId, 'scenarios.run scenario id');
  const command = parseInput(RunScenarioInput, input, 'scenarios.run');
  const scenario = await rt.cache.get(rt.context, id);
  if (!scenario) throw new NotFoundError('scenario', id, 'Define it first with railyard.scenarios.define.');
  if (command.environment && !(await readEnvironment(rt.context, command.environment)))
    throw new NotFoundError('environment', command.environment, 'Define it first, or run without an environment.');
  const by: ActorInput = command.by;
  const admission = await withLane(rt, id, async (lane, work) => {
    const at = rt.context.clock.now().toISOString();
    const result = await admit(rt, work, lane, scenario.value, {
      fire: { kind: 'manual', at, by: command.by, params: {} },
      by: command.by,
      params: command.params,
      ...(command.environment === undefined ? {} : { environment: command.environment }),
      ...(command.deploymentId === undefined ? {} : { deploymentId: command.deploymentId }),
    });
    if ('skipped' in result) {
      throw new PolicyError(
        'queue-full',
        `${result.detail}. Wait for the current run to end, abort it with scenarios.abort, or change the scenario's concurrency policy.`,
        { scenario: id, by: by.id, actor: by.id },
      );
    }
    return result;
  });
  if (!admission) throw new NotFoundError('scenario', id, 'Its lane is missing; define it again.');
  for (const replaced of admission.replaced)
    rt.executing.get(replaced)?.abort(new AbortedError(`replaced by run ${admission.run.id}`));
  return admission.run;
}
