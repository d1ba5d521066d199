import type { SecretContext, SecretResolver } from '../contracts/secrets.js';
import { SecretUnavailableError } from '../errors/errors.js';
import type { ResolvedSnapshot, SettingValue, Snapshot } from '../model/environment-types.js';
import type { EngineContext } from './context.js';

/**
 * The snapshot host code receives: each secret reference replaced by the value the host's
 * resolver returns, read now and kept nowhere (the caller hands it to host code and drops it).
 * Runs inside host work, so a slow resolver is bounded by that work's deadline (`signal`).
 * Throws a `SecretUnavailableError` naming the first secret that cannot be read.
 * @internal
 */
export async function resolveSnapshot(
  context: Pick<EngineContext, 'secrets'>,
  snapshot: Snapshot,
  at: SecretContext,
): Promise<ResolvedSnapshot> {
  const read = reader(context.secrets, at);
  return {
    ...snapshot,
    variables: await resolveAll(snapshot.variables, read),
    connections: await resolveAll(snapshot.connections, read),
  };
}

async function resolveAll(
  settings: Record<string, SettingValue>,
  read: (name: string) => Promise<string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings))
    out[key] = typeof value === 'string' ? value : await read(value.secret);
  return out;
}

function reader(resolver: SecretResolver | undefined, at: SecretContext): (name: string) => Promise<string> {
  const cache = new Map<string, string>();
  return async (secret) => {
    const known = cache.get(secret);
    if (known !== undefined) return known;
    const info = { secret, environment: at.environment };
    if (!resolver) throw new SecretUnavailableError({ ...info, reason: 'no-resolver' });
    let value: unknown;
    try {
      value = await resolver.resolve(secret, at);
    } catch (error) {
      throw new SecretUnavailableError({ ...info, reason: 'resolver-failed' }, { cause: error });
    }
    if (typeof value !== 'string' || value === '') throw new SecretUnavailableError({ ...info, reason: 'missing' });
    cache.set(secret, value);
    return value;
  };
}

/** The secret names a snapshot or definition's settings reference, sorted. @internal */
export function secretNames(...settings: Record<string, SettingValue>[]): string[] {
  const names = new Set<string>();
  for (const group of settings)
    for (const value of Object.values(group)) if (typeof value !== 'string') names.add(value.secret);
  return [...names].sort();
}
