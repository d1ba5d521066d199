import type { z } from 'zod';
import { AdapterError } from '../errors/errors.js';
import { BundleRecord } from '../model/bundle.js';
import { Deployment } from '../model/deployment.js';
import { EnvironmentRecord } from '../model/environment.js';
import type { EngineContext } from './context.js';
import type { Read } from './read.js';

/** Record kinds the engine stores. @internal */
export const KIND = {
  environment: 'environment',
  deployment: 'deployment',
  bundle: 'bundle',
  bundleVersion: 'bundle-version',
  idempotency: 'idempotency',
  remoteDeployment: 'remote-deployment',
  signature: 'signature',
  revokedKey: 'revoked-key',
  silence: 'silence',
  scenario: 'scenario',
  scenarioRevision: 'scenario-revision',
  scenarioRun: 'scenario-run',
  scenarioLane: 'scenario-lane',
  scenarioCursor: 'scenario-cursor',
  verificationLane: 'verification-lane',
  handover: 'handover',
} as const;

/** Reads one record and checks it against its schema. @internal */
export async function readAs<TSchema extends z.ZodType>(
  context: EngineContext,
  kind: string,
  id: string,
  schema: TSchema,
): Promise<Read<z.output<TSchema>> | null> {
  const row = await context.store.get(kind, id);
  if (!row) return null;
  return { value: parseStored(kind, id, row.version, row.value, schema), version: row.version };
}

/** Parses a stored value, or explains that the store was changed outside Railyard. @internal */
export function parseStored<TSchema extends z.ZodType>(
  kind: string,
  id: string,
  version: number,
  value: unknown,
  schema: TSchema,
): z.output<TSchema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AdapterError(
    `Stored ${kind} "${id}" (version ${version}) does not match its schema: ${parsed.error.issues[0]?.message}. The store was changed outside Railyard; restore it from a backup.`,
    { details: { kind, id } },
  );
}

/** @internal */
export const readEnvironment = (context: EngineContext, id: string) =>
  readAs(context, KIND.environment, id, EnvironmentRecord);
/** @internal */
export const readDeployment = (context: EngineContext, id: string) => readAs(context, KIND.deployment, id, Deployment);
/** A bundle, from the engine's cache of validated bundles or the store. @internal */
export async function readBundle(context: EngineContext, id: string): Promise<Read<BundleRecord> | null> {
  // Bundles are immutable, so a validated one can be served again without a read or a parse.
  // Garbage collection evicts what it removes; another engine's removal shows up as missing blobs.
  const cached = context.bundles.get(id);
  if (cached) return cached;
  const read = await readAs(context, KIND.bundle, id, BundleRecord);
  if (read) {
    if (context.bundles.size >= BUNDLE_CACHE_SIZE)
      context.bundles.delete(context.bundles.keys().next().value as string);
    context.bundles.set(id, read);
  }
  return read;
}

const BUNDLE_CACHE_SIZE = 256;

/** Every record of a kind under a prefix, in id order. @internal */
export async function listAll<TSchema extends z.ZodType>(
  context: EngineContext,
  kind: string,
  schema: TSchema,
  prefix?: string,
): Promise<Read<z.output<TSchema>>[]> {
  const out: Read<z.output<TSchema>>[] = [];
  let after: string | undefined;
  do {
    const page = await context.store.list(kind, {
      limit: 1000,
      ...(prefix === undefined ? {} : { prefix }),
      ...(after === undefined ? {} : { after }),
    });
    for (const row of page.items) out.push({ value: schema.parse(row.value), version: row.version });
    after = page.next;
  } while (after !== undefined);
  return out;
}

/** The id of an environment's `sequence`-th deployment, e.g. `production/000042`. @internal */
export function deploymentIdFor(environment: string, sequence: number): string {
  return `${environment}/${String(sequence).padStart(6, '0')}`;
}
