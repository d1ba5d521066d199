import type { Clock } from '@railyard/core';
import { malformed, timedOut, tooDeep, tooLarge, tooSlow, unauthenticated } from '../errors.js';
import { sha256OfBody } from '../signing/canonical.js';
import type { AgentRequest } from './exchange.js';

/** How a body is bounded while it streams. @internal */
export interface BodyBounds {
  /** Most bytes accepted. */
  limit: number;
  /** What the limit is, for the error message (e.g. "limits.maxJsonBytes"). */
  limitName: string;
  idleMs: number;
  clock: Clock;
  /** The pace an upload must keep (blobs); JSON bodies are small and need only `idleMs`. */
  pace?: UploadPace;
}

/** The deadline and minimum rate of one upload. @internal */
export interface UploadPace {
  /** The whole body must have arrived within this (ms from the first read). */
  deadlineMs: number;
  /** The average rate since the start must stay at or above this once `graceMs` has passed. */
  minBytesPerSecond: number;
  graceMs: number;
}

/**
 * The bytes a body may have: its limit, and no more than its `Content-Length` when it declares
 * one. A declared length over the limit is refused before a byte is read. @internal
 */
export function allowedLength(request: AgentRequest, bounds: BodyBounds): { max: number; declared: number | null } {
  const header = request.header('content-length');
  if (header === null) return { max: bounds.limit, declared: null };
  if (!/^[0-9]{1,16}$/.test(header.trim())) throw malformed(`Content-Length "${header}" is not a number of bytes.`);
  const declared = Number(header.trim());
  if (declared > bounds.limit)
    throw tooLarge(bounds.limit, `The body declares ${declared} bytes, over ${bounds.limitName} (${bounds.limit}).`);
  return { max: declared, declared };
}

/**
 * The body as a stream that counts while it flows: one byte past what is allowed (the limit, or a
 * smaller declared `Content-Length`) throws 413 before that chunk goes further, and a body that
 * sends nothing for `idleMs` throws 408. Reading stops at the first error; nothing is buffered.
 * @internal
 */
export async function* boundedBody(request: AgentRequest, bounds: BodyBounds): AsyncGenerator<Uint8Array> {
  const { max, declared } = allowedLength(request, bounds);
  if (!request.body) return;
  const iterator = request.body[Symbol.asyncIterator]();
  let total = 0;
  const watchdog = bodyWatchdog(bounds, () => total);
  try {
    for (;;) {
      const next = await watchdog.wait(iterator.next());
      if (next.done) return;
      total += next.value.byteLength;
      if (total > max) {
        throw tooLarge(
          bounds.limit,
          declared !== null && declared < bounds.limit
            ? `The body is longer than its Content-Length (${declared} bytes); nothing was stored.`
            : `The body is over ${bounds.limitName} (${bounds.limit} bytes); nothing was stored.`,
        );
      }
      yield next.value;
    }
  } finally {
    watchdog.stop();
    // Not awaited: a read may still be pending (a stalled body), and ending the iterator must not
    // wait for it. The server closes the connection after answering.
    iterator.return?.()?.catch(() => undefined);
  }
}

/**
 * Times out a body that keeps the agent waiting: `idleMs` without a byte, or (with a pace) past its
 * deadline or under its minimum average rate, on the agent's clock. Only a pending read fails (time
 * the store takes to write is not the client's), and there is one timer per check, set for the
 * first moment a rule could be broken, rather than one per chunk, which would cost more than the
 * chunk itself. (Racing each read against one long-lived promise would be simpler, but every race
 * leaves a reaction on that promise that keeps the chunk it resolved with alive: the whole body
 * would stay in memory.)
 */
function bodyWatchdog(bounds: BodyBounds, received: () => number) {
  const { clock, idleMs, pace } = bounds;
  const startedAt = clock.now().getTime();
  const stop = new AbortController();
  let waitingSince: number | null = null;
  let failWaiting: ((error: unknown) => void) | undefined;

  /** The error a pending read fails with now, or when to look again. */
  function check(now: number): { error: unknown } | { nextAt: number } {
    const idleAt = (waitingSince ?? now) + idleMs;
    if (waitingSince !== null && now >= idleAt) return { error: timedOut(idleMs) };
    if (!pace) return { nextAt: idleAt };
    const deadlineAt = startedAt + pace.deadlineMs;
    // The moment the average falls under the minimum if no further byte arrives.
    const slowAt = startedAt + Math.max(pace.graceMs, (received() * 1000) / pace.minBytesPerSecond);
    if (waitingSince !== null && now >= deadlineAt)
      return { error: tooSlow(`The body did not arrive within ${pace.deadlineMs} ms (limits.uploadDeadlineMs).`) };
    if (waitingSince !== null && now >= slowAt) {
      const rate = Math.floor((received() * 1000) / Math.max(1, now - startedAt));
      return {
        error: tooSlow(
          `The body arrived at ${rate} bytes/s on average, under limits.minUploadBytesPerSecond (${pace.minBytesPerSecond}).`,
        ),
      };
    }
    return { nextAt: Math.min(idleAt, Math.max(deadlineAt, now + 1), Math.max(slowAt, now + 1)) };
  }

  void (async () => {
    for (;;) {
      const now = clock.now().getTime();
      const verdict = check(now);
      if ('error' in verdict) return failWaiting?.(verdict.error);
      await clock.sleep(Math.max(1, verdict.nextAt - now), stop.signal);
    }
  })().catch(() => undefined);
  return {
    wait<T>(next: Promise<T>): Promise<T> {
      waitingSince = clock.now().getTime();
      return new Promise<T>((resolve, reject) => {
        failWaiting = reject;
        next.then(resolve, reject);
      }).finally(() => {
        waitingSince = null;
        failWaiting = undefined;
      });
    },
    stop: () => stop.abort(),
  };
}

/**
 * Reads a whole JSON body within the bounds, checks it against the digest the signature covers
 * (401 when it differs: the body is not what was signed), checks its nesting depth without parsing
 * it (422 past `maxDepth`: deep nesting overflows the stack of whatever walks it later), then parses
 * it (400 when it is not JSON).
 * An empty body reads as `{}`.
 * @internal
 */
export async function readJsonBody(
  request: AgentRequest,
  bounds: BodyBounds & { maxDepth: number },
  signedSha256: string,
): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of boundedBody(request, bounds)) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  if (sha256OfBody(bytes) !== signedSha256) {
    throw unauthenticated(
      'body-digest-mismatch',
      'The body does not match railyard-content-sha256: it changed after it was signed. Sign the exact bytes you send.',
    );
  }
  if (bytes.byteLength === 0) return {};
  if (nestingDepth(bytes) > bounds.maxDepth) throw tooDeep(bounds.maxDepth);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw malformed('The body is not valid JSON: send a JSON object with content-type application/json.');
  }
}

/** The deepest nesting of `[` and `{` in JSON text, outside strings; one pass, no recursion. */
function nestingDepth(bytes: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
}
