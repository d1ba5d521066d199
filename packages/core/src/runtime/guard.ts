import pRetry from 'p-retry';
import type { BlobStore } from '../contracts/blob-store.js';
import type { Notifier } from '../contracts/notifier.js';
import type { StateStore } from '../contracts/state-store.js';
import type { Transport } from '../contracts/transport.js';
import { adapterError, isRailyardError, type RailyardError } from '../errors/errors.js';

/** How the core retries adapter calls that fail with a retryable error. */
export interface RetryOptions {
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** @internal */
export const defaultRetry: RetryOptions = { retries: 3, minTimeoutMs: 50, maxTimeoutMs: 1000 };

/**
 * Normalises anything an adapter throws into a `RailyardError`: Railyard errors pass through;
 * anything else becomes an `AdapterError` keeping the cause, retryable only for Node.js network
 * errors. Backend-specific knowledge (SQLSTATEs, HTTP statuses) belongs to each adapter, which
 * classifies its own errors with `adapterError`.
 * @internal
 */
export function normaliseAdapterError(error: unknown, what: string): RailyardError {
  return adapterError({ operation: what, cause: error });
}

const isRetryable = (error: unknown) => isRailyardError(error, 'ADAPTER') && error.retryable;

/** How long the adapter asked to wait (`details.retryAfterSeconds`, e.g. an HTTP `Retry-After`), capped. */
function retryAfterMs(error: unknown, retry: RetryOptions): number {
  const seconds = isRailyardError(error) ? error.details.retryAfterSeconds : undefined;
  return typeof seconds === 'number' && seconds > 0 ? Math.min(seconds * 1000, retry.maxTimeoutMs) : 0;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs an adapter call: normalises its errors and retries those marked retryable (with back-off,
 * waiting at least what the adapter asked for through `details.retryAfterSeconds`, up to
 * `maxTimeoutMs`). Version conflicts are retryable for callers, never here: they mean re-read,
 * not resend.
 * @internal
 */
export async function guarded<T>(what: string, call: () => Promise<T>, retry: RetryOptions): Promise<T> {
  // Fast path: most calls succeed first time, so only a retryable failure pays for p-retry.
  let first: RailyardError;
  try {
    return await call();
  } catch (error) {
    first = normaliseAdapterError(error, what);
    if (!isRetryable(first) || retry.retries === 0) throw first;
  }
  await wait(Math.max(retry.minTimeoutMs, retryAfterMs(first, retry)));
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
      shouldRetry: ({ error }) => isRetryable(error),
      onFailedAttempt: async ({ error }) => {
        const extra = retryAfterMs(error, retry);
        if (extra > 0 && isRetryable(error)) await wait(extra);
      },
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

/**
 * Wraps a transport so every call goes through {@link guarded}. Every call is safe to resend
 * (reads, content-addressed pushes, a promotion carrying its idempotency key), except a blob whose
 * source is a stream: it can be read only once, so it is sent once (bytes in memory are retried).
 * @internal
 */
export function guardTransport(transport: Transport, retry: RetryOptions): Transport {
  return {
    missingBlobs: (digests) => guarded('transport missingBlobs', () => transport.missingBlobs(digests), retry),
    pushBlob: (blob, source) =>
      guarded('transport pushBlob', () => transport.pushBlob(blob, source), {
        ...retry,
        retries: source instanceof Uint8Array ? retry.retries : 0,
      }),
    pushBundle: (manifest) => guarded('transport pushBundle', () => transport.pushBundle(manifest), retry),
    pushSignature: (signature) => guarded('transport pushSignature', () => transport.pushSignature(signature), retry),
    promote: (request) => guarded('transport promote', () => transport.promote(request), retry),
    getDeployment: (id) => guarded('transport getDeployment', () => transport.getDeployment(id), retry),
    ...(transport.close
      ? { close: () => guarded('transport close', () => transport.close!(), { ...retry, retries: 0 }) }
      : {}),
  };
}

/**
 * Wraps a notifier so every delivery goes through {@link guarded}: a notifier classifies its
 * failures (a receiver's 503 is retryable, a 401 is not) and the core retries.
 * @internal
 */
export function guardNotifier(notifier: Notifier, retry: RetryOptions): Notifier {
  return {
    notify: (notification) => guarded(`notifier ${notification.type}`, () => notifier.notify(notification), retry),
  };
}
