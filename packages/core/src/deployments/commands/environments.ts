import * as z from 'zod';
import { CapabilityError, ValidationError } from '../../errors/errors.js';
import { environmentMachine } from '../../machines/environment-machine.js';
import { Actor } from '../../model/actor.js';
import { EnvironmentDefinition, type EnvironmentDefinitionInput, EnvironmentRecord } from '../../model/environment.js';
import { parseInput } from '../../model/parse-input.js';
import { Slug } from '../../model/primitives.js';
import { openRoles } from '../../policy/open-roles.js';
import { findPlainCredentials } from '../../policy/plain-credentials.js';
import { retryOnConflict } from '../../runtime/conflict.js';
import { type EngineContext, nowIso, SYSTEM_ACTOR } from '../../runtime/context.js';
import { KIND, listAll, readEnvironment } from '../../runtime/records.js';
import { secretNames } from '../../runtime/secrets.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';

const DefineOptions = z.object({ by: Actor.optional() }).strict();

/**
 * Creates or updates an environment's definition. Updating keeps its state (active deployment,
 * queue, history); every change is journaled.
 * @internal
 */
export async function defineEnvironment(
  context: EngineContext,
  input: EnvironmentDefinitionInput,
  options: { by?: z.input<typeof Actor> } = {},
): Promise<EnvironmentRecord> {
  const definition = parseInput(EnvironmentDefinition, input, 'environments.define');
  const by = parseInput(DefineOptions, options, 'environments.define options').by ?? SYSTEM_ACTOR;
  if (definition.remote && !context.transport) {
    throw new CapabilityError(
      'transport',
      `Environment "${definition.id}" is remote, but this Railyard has no transport: pass createRailyard({ transport }) to reach the site that owns it.`,
    );
  }
  refusePlainCredentials(definition);
  const secrets = secretNames(definition.variables, definition.connections);
  if (secrets.length > 0 && !context.secrets && !definition.remote) {
    throw new CapabilityError(
      'secrets',
      `Environment "${definition.id}" references secrets (${secrets.join(', ')}), but this Railyard has no secret resolver: pass createRailyard({ secrets: { resolve } }) (docs/secrets.md).`,
    );
  }
  for (const upstream of definition.promotesFrom) {
    if (upstream === definition.id)
      throw new ValidationError(`environments.define: "${definition.id}" cannot promote from itself.`);
    if (!(await readEnvironment(context, upstream))) {
      throw new ValidationError(
        `environments.define: "${definition.id}" promotes from "${upstream}", which is not defined. Define "${upstream}" first.`,
        { details: { issues: [{ path: 'promotesFrom', message: `unknown environment "${upstream}"` }] } },
      );
    }
  }
  return retryOnConflict(async () => {
    const current = await readEnvironment(context, definition.id);
    const at = nowIso(context);
    const record: EnvironmentRecord = current
      ? { ...current.value, definition, updatedAt: at }
      : {
          definition,
          status: environmentMachine.config.initial,
          active: null,
          inFlight: null,
          queue: [],
          consecutiveAutoRollbacks: 0,
          sequence: 0,
          createdAt: at,
          updatedAt: at,
        };
    const work = new UnitOfWork(context);
    const defined = (await listEnvironments(context)).map((environment) => environment.definition);
    const open = openRoles(definition, defined);
    if (open.length > 0) {
      work.emit('environment.warning', {
        environment: definition.id,
        code: 'open-roles',
        message: `${definition.id} looks like production, but its policy lets anyone ('*') act through ${open.join(', ')}. Name the roles that may, unless that is what you mean.`,
        open,
      });
    }
    await work
      .put(KIND.environment, definition.id, current?.version ?? null, record)
      .journal({
        at,
        actor: by,
        type: current ? 'environment.updated' : 'environment.defined',
        subject: { kind: KIND.environment, id: definition.id },
        environment: definition.id,
        data: { definition },
      })
      .commit();
    return record;
  });
}

/** @internal */
export async function getEnvironment(context: EngineContext, id: string): Promise<EnvironmentRecord | null> {
  return (await readEnvironment(context, parseInput(Slug, id, 'environments.get')))?.value ?? null;
}

/** @internal */
export async function listEnvironments(context: EngineContext): Promise<EnvironmentRecord[]> {
  return (await listAll(context, KIND.environment, EnvironmentRecord)).map((row) => row.value);
}

/** Refuses plain settings that look like credentials, naming each (never its value). */
function refusePlainCredentials(definition: EnvironmentDefinition): void {
  const found = findPlainCredentials(definition);
  const first = found[0];
  if (!first) return;
  const issues = found.map((hit) => ({
    path: hit.path,
    rule: hit.rule,
    message: `looks like ${hit.looksLike}; use a secret reference { secret: 'name' }`,
  }));
  throw new ValidationError(
    `environments.define: ${found.map((hit) => `${hit.path} looks like ${hit.looksLike}`).join('; ')}. Railyard stores, journals and shows plain settings: keep the value in your secret store and write { secret: 'name' } instead (docs/secrets.md). Nothing was saved.`,
    { details: { issues, rule: first.rule } },
  );
}
