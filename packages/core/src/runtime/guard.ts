import pRetry from 'p-retry';
import type { BlobStore } from '../contracts/blob-store.js';
import type { StateStore } from '../contracts/state-store.js';
import { AdapterError, RailyardError } from '../errors/errors.js';

/** How the core retries adapter calls that fail with a retryable error. */
export interface RetryOptions {
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** @internal */
export const defaultRetry: RetryOptions = { retries: 3, minTimeoutMs: 50, maxTimeoutMs: 1000 };

/** Normalises anything an adapter throws into a `RailyardError` (an `AdapterError` keeping the cause). */
export function normaliseAdapterError(error: unknown, what: string): RailyardError {
  if (error instanceof RailyardError) return error;
  const code = (error as { code?: unknown })?.code;
  const transient = [
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'EAGAIN',
    'EBUSY',
    '57P01',
    '08006',
    '08003',
    '40001',
  ];
  return new AdapterError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
    retryable: typeof code === 'string' && transient.includes(code),
  });
}

/**
 * Runs an adapter call: normalises its errors and retries those marked retryable. Version
 * conflicts are retryable for callers, never here: they mean re-read, not resend.
 * @internal
 */
export async function guarded<T>(what: string, call: () => Promise<T>, retry: RetryOptions): Promise<T> {
  // Fast path: most calls succeed first time, so only a retryable failure pays for p-retry.
  let first: RailyardError;
  try {
    return await call();
  } catch (error) {
    first = normaliseAdapterError(error, what);
    if (!(first instanceof AdapterError && first.retryable) || retry.retries === 0) throw first;
  }
  await new Promise((resolve) => setTimeout(resolve, retry.minTimeoutMs));
  return pRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        throw normaliseAdapterError(error, what);
      }
    },
    {
      retries: retry.retries - 1,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
      shouldRetry: ({ error }) => error instanceof AdapterError && error.retryable,
    },
  );
}

/**
 * Wraps a state store so every call goes through {@link guarded}.
 * @internal
 */
export function guardStateStore(store: StateStore, retry: RetryOptions): StateStore {
  return {
    capabilities: store.capabilities,
    get: (kind, id) => guarded(`state store get(${kind})`, () => store.get(kind, id), retry),
    list: (kind, query) => guarded(`state store list(${kind})`, () => store.list(kind, query), retry),
    // A commit whose outcome is unknown must not be blindly resent: a retry is safe only because
    // every write carries an expected version, so a resend of an applied commit conflicts.
    commit: (tx) => guarded('state store commit', () => store.commit(tx), retry),
    readJournal: (query) => store.readJournal(query),
    ...(store.journalHead
      ? { journalHead: () => guarded('state store journalHead', () => store.journalHead!(), retry) }
      : {}),
    ...(store.watch ? { watch: store.watch.bind(store) } : {}),
    ...(store.claim ? { claim: (request) => guarded('state store claim', () => store.claim!(request), retry) } : {}),
    close: () => guarded('state store close', () => store.close(), { ...retry, retries: 0 }),
  };
}

/**
 * Wraps a blob store so every call goes through {@link guarded}. `put` is not retried: its
 * source stream can be read only once.
 * @internal
 */
export function guardBlobStore(blobs: BlobStore, retry: RetryOptions): BlobStore {
  return {
    put: (source, options) => guarded('blob store put', () => blobs.put(source, options), { ...retry, retries: 0 }),
    get: (digest) => guarded('blob store get', () => blobs.get(digest), retry),
    has: (digest) => guarded('blob store has', () => blobs.has(digest), retry),
    stat: (digest) => guarded('blob store stat', () => blobs.stat(digest), retry),
    delete: (digest) => guarded('blob store delete', () => blobs.delete(digest), retry),
    ...(blobs.close ? { close: () => blobs.close!() } : {}),
  };
}
