import type { TelemetryAttributes } from '../contracts/telemetry.js';
import type { Telemetry } from '../runtime/telemetry.js';

/** The ids a command's input names (`{ bundle, to }`, a deployment id, …), as span attributes. */
function inputAttributes(input: unknown): TelemetryAttributes {
  if (typeof input === 'string') return { 'railyard.target': input };
  if (!input || typeof input !== 'object') return {};
  const { to, environment, bundle, deployment } = input as Record<string, unknown>;
  const attributes: TelemetryAttributes = {};
  const env = typeof to === 'string' ? to : environment;
  if (typeof env === 'string') attributes['railyard.environment'] = env;
  if (typeof bundle === 'string') attributes['railyard.bundle.id'] = bundle;
  if (typeof deployment === 'string') attributes['railyard.deployment.id'] = deployment;
  return attributes;
}

/** The ids of what a command returned: a deployment (id, environment, bundle) or a bundle. */
function resultAttributes(result: unknown): TelemetryAttributes {
  if (!result || typeof result !== 'object') return {};
  const { id, environment, bundleId, manifest } = result as Record<string, unknown>;
  if (typeof id !== 'string') return {};
  if (typeof environment === 'string' && typeof bundleId === 'string')
    return { 'railyard.deployment.id': id, 'railyard.environment': environment, 'railyard.bundle.id': bundleId };
  return manifest ? { 'railyard.bundle.id': id } : {};
}

/**
 * Runs every method of a command namespace (`deployments`, `bundles`, …) in a span named
 * `railyard.<namespace>.<method>`, with the ids of its input and result as attributes. While
 * OpenTelemetry is not loaded a call goes straight through.
 * @internal
 */
export function tracedCommands<T extends object>(telemetry: Telemetry, namespace: string, api: T): T {
  const traced: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(api)) {
    if (typeof method !== 'function') {
      traced[name] = method;
      continue;
    }
    const call = method as (...args: unknown[]) => Promise<unknown>;
    traced[name] = (...args: unknown[]) =>
      telemetry.tracing
        ? telemetry.span(`railyard.${namespace}.${name}`, inputAttributes(args[0]), async (span) => {
            const result = await call(...args);
            span?.setAttributes(resultAttributes(result));
            return result;
          })
        : call(...args);
  }
  return traced as T;
}
