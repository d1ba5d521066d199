import { sha256Hex } from '../bundle/canonical-json.js';
import type { SchemaStatus } from '../contracts/state-store.js';
import type { EngineContext } from '../runtime/context.js';
import { KIND } from '../runtime/records.js';

/**
 * Whether this Railyard can serve: its state store and blob store answer, and the store's schema is
 * current when the store can tell (`StateStore.schemaStatus`, e.g. PostgreSQL migrations applied).
 *
 * @example
 * ```ts
 * const readiness: Readiness = await railyard.readiness();
 * if (!readiness.ready) console.error(readiness.checks);
 * ```
 */
export interface Readiness {
  /** Whether every check passed. */
  ready: boolean;
  /** The checks, by what they reached. */
  checks: {
    /** The state store answered a read. */
    store: ReadinessCheck;
    /** The blob store answered a read. */
    blobs: ReadinessCheck;
    /** Present when the store reports its schema. */
    schema?: ReadinessCheck & Partial<SchemaStatus>;
  };
}

/**
 * One check of {@link Readiness}: `ok`, or why not (an error code and message, never a secret).
 *
 * @example
 * ```ts
 * const check: ReadinessCheck = { ok: false, error: 'ADAPTER: state store list(environment) failed: connect ECONNREFUSED' };
 * ```
 */
export interface ReadinessCheck {
  /** Whether the check passed. */
  ok: boolean;
  /** Why not: an error code and message, never a secret. */
  error?: string;
}

const EMPTY_DIGEST = `sha256:${sha256Hex(new Uint8Array())}`;

async function check(call: () => Promise<unknown>): Promise<ReadinessCheck> {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: typeof code === 'string' ? `${code}: ${message}` : message };
  }
}

/** Checks the stores once each, without retrying (a probe must answer fast). @internal */
export async function readiness(
  context: EngineContext,
  direct: Pick<EngineContext, 'store' | 'blobs'>,
): Promise<Readiness> {
  const { store, blobs } = direct;
  const [storeCheck, blobsCheck, schema] = await Promise.all([
    check(() => store.list(KIND.environment, { limit: 1 })),
    check(() => blobs.has(EMPTY_DIGEST)),
    store.schemaStatus ? schemaCheck(() => store.schemaStatus!()) : undefined,
  ]);
  const ready = storeCheck.ok && blobsCheck.ok && (schema?.ok ?? true);
  if (!ready) context.logger.warn({ store: storeCheck, blobs: blobsCheck, schema }, 'railyard is not ready');
  return { ready, checks: { store: storeCheck, blobs: blobsCheck, ...(schema ? { schema } : {}) } };
}

async function schemaCheck(call: () => Promise<SchemaStatus>): Promise<ReadinessCheck & Partial<SchemaStatus>> {
  try {
    const status = await call();
    return status.current
      ? { ok: true, ...status }
      : {
          ok: false,
          ...status,
          error: `the store's schema is at version ${status.applied}, this adapter expects ${status.expected}: run its migrations`,
        };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
