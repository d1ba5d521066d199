import pRetry from 'p-retry';
import type { BlobStore } from '../contracts/blob-store.js';
import type { Logger } from '../contracts/logger.js';
import type { Notifier } from '../contracts/notifier.js';
import type { StateStore } from '../contracts/state-store.js';
import type { Transport } from '../contracts/transport.js';
import { adapterError, isRailyardError, type RailyardError } from '../errors/errors.js';
import { type AdapterKind, type CallObserver, callObserver, observeCall } from './observe-call.js';
import type { Telemetry } from './telemetry.js';

/** How the core retries adapter calls that fail with a retryable error. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** The first retry's delay, in ms. */
  minTimeoutMs: number;
  /** The longest delay between retries, in ms. */
  maxTimeoutMs: number;
}

/** How every adapter call is guarded: retried, logged, measured. @internal */
export interface GuardOptions {
  retry: RetryOptions;
  logger: Logger;
  /** Spans and metrics of each call; absent, calls are not measured. */
  telemetry?: Telemetry;
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
export async function guarded<T>(
  what: string,
  call: () => Promise<T>,
  retry: RetryOptions,
  logger?: Logger,
): Promise<T> {
  // Fast path: most calls succeed first time, so only a retryable failure pays for p-retry.
  let first: RailyardError;
  try {
    return await call();
  } catch (error) {
    first = normaliseAdapterError(error, what);
    if (!isRetryable(first) || retry.retries === 0) throw logFailure(logger, what, first);
  }
  const delay = Math.max(retry.minTimeoutMs, retryAfterMs(first, retry));
  logger?.warn({ operation: what, attempt: 1, delayMs: delay, err: first }, `${what} failed; retrying`);
  await wait(delay);
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
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0 && isRetryable(error))
          logger?.warn({ operation: what, attempt: attemptNumber + 1, err: error }, `${what} failed; retrying`);
        const extra = retryAfterMs(error, retry);
        if (extra > 0 && isRetryable(error)) await wait(extra);
      },
    },
  ).catch((error: unknown) => {
    throw logFailure(logger, what, error);
  });
}

/** Adapter failures are logged as errors with their cause; refusals (conflicts, not found, …) are the caller's business. */
function logFailure(logger: Logger | undefined, what: string, error: unknown): unknown {
  if (logger && isRailyardError(error, 'ADAPTER'))
    logger.error({ operation: what, err: error, retryable: error.retryable }, `${what} failed`);
  return error;
}

/** One kind of adapter call: how it is named in errors and logs, retried, and observed. */
interface CallSpec {
  what: string;
  retry: RetryOptions;
  observer: CallObserver | undefined;
}

function spec(options: GuardOptions, adapter: AdapterKind, operation: string, retry = options.retry): CallSpec {
  const observer = options.telemetry && callObserver(options.telemetry, adapter, operation);
  return {
    what: `${adapter === 'state' ? 'state store' : adapter === 'blob' ? 'blob store' : 'transport'} ${operation}`,
    retry,
    observer,
  };
}

/** A guarded (and, with telemetry, measured) call: what every wrapper below runs. */
function run<T>(options: GuardOptions, call: CallSpec, fn: () => Promise<T>, what = call.what): Promise<T> {
  if (!call.observer) return guarded(what, fn, call.retry, options.logger);
  return observeCall(call.observer, () => guarded(what, fn, call.retry, options.logger));
}

const once = (retry: RetryOptions): RetryOptions => ({ ...retry, retries: 0 });

/**
 * Wraps a state store so every call goes through {@link guarded}.
 * @internal
 */
export function guardStateStore(store: StateStore, options: GuardOptions): StateStore {
  const get = spec(options, 'state', 'get');
  const list = spec(options, 'state', 'list');
  const commit = spec(options, 'state', 'commit');
  const journalHead = spec(options, 'state', 'journalHead');
  const claim = spec(options, 'state', 'claim');
  const schemaStatus = spec(options, 'state', 'schemaStatus');
  const close = spec(options, 'state', 'close', once(options.retry));
  return {
    capabilities: store.capabilities,
    get: (kind, id) => run(options, get, () => store.get(kind, id), `state store get(${kind})`),
    list: (kind, query) => run(options, list, () => store.list(kind, query), `state store list(${kind})`),
    // A commit whose outcome is unknown must not be blindly resent: a retry is safe only because
    // every write carries an expected version, so a resend of an applied commit conflicts.
    commit: (tx) => run(options, commit, () => store.commit(tx)),
    readJournal: (query) => store.readJournal(query),
    ...(store.journalHead ? { journalHead: () => run(options, journalHead, () => store.journalHead!()) } : {}),
    ...(store.watch ? { watch: store.watch.bind(store) } : {}),
    ...(store.claim ? { claim: (request) => run(options, claim, () => store.claim!(request)) } : {}),
    ...(store.schemaStatus ? { schemaStatus: () => run(options, schemaStatus, () => store.schemaStatus!()) } : {}),
    close: () => run(options, close, () => store.close()),
  };
}

/**
 * Wraps a blob store so every call goes through {@link guarded}. `put` is not retried: its
 * source stream can be read only once.
 * @internal
 */
export function guardBlobStore(blobs: BlobStore, options: GuardOptions): BlobStore {
  const put = spec(options, 'blob', 'put', once(options.retry));
  const get = spec(options, 'blob', 'get');
  const has = spec(options, 'blob', 'has');
  const stat = spec(options, 'blob', 'stat');
  const del = spec(options, 'blob', 'delete');
  return {
    put: (source, putOptions) => run(options, put, () => blobs.put(source, putOptions)),
    get: (digest) => run(options, get, () => blobs.get(digest)),
    has: (digest) => run(options, has, () => blobs.has(digest)),
    stat: (digest) => run(options, stat, () => blobs.stat(digest)),
    delete: (digest) => run(options, del, () => blobs.delete(digest)),
    ...(blobs.close ? { close: () => blobs.close!() } : {}),
  };
}

/**
 * Wraps a transport so every call goes through {@link guarded}. Every call is safe to resend
 * (reads, content-addressed pushes, a promotion carrying its idempotency key), except a blob whose
 * source is a stream: it can be read only once, so it is sent once (bytes in memory are retried).
 * @internal
 */
export function guardTransport(transport: Transport, options: GuardOptions): Transport {
  const missingBlobs = spec(options, 'transport', 'missingBlobs');
  const pushBytes = spec(options, 'transport', 'pushBlob');
  const pushStream = { ...pushBytes, retry: once(options.retry) };
  const pushBundle = spec(options, 'transport', 'pushBundle');
  const pushSignature = spec(options, 'transport', 'pushSignature');
  const promote = spec(options, 'transport', 'promote');
  const getDeployment = spec(options, 'transport', 'getDeployment');
  const close = spec(options, 'transport', 'close', once(options.retry));
  return {
    missingBlobs: (digests) => run(options, missingBlobs, () => transport.missingBlobs(digests)),
    pushBlob: (blob, source) =>
      run(options, source instanceof Uint8Array ? pushBytes : pushStream, () => transport.pushBlob(blob, source)),
    pushBundle: (manifest) => run(options, pushBundle, () => transport.pushBundle(manifest)),
    pushSignature: (signature) => run(options, pushSignature, () => transport.pushSignature(signature)),
    promote: (request) => run(options, promote, () => transport.promote(request)),
    getDeployment: (id) => run(options, getDeployment, () => transport.getDeployment(id)),
    ...(transport.close ? { close: () => run(options, close, () => transport.close!()) } : {}),
  };
}

/**
 * Wraps a notifier so every delivery goes through {@link guarded}: a notifier classifies its
 * failures (a receiver's 503 is retryable, a 401 is not) and the core retries.
 * @internal
 */
export function guardNotifier(notifier: Notifier, options: GuardOptions): Notifier {
  return {
    notify: (notification) =>
      guarded(`notifier ${notification.type}`, () => notifier.notify(notification), options.retry, options.logger),
  };
}
