import type { Clock } from '@railyard/core';
import { malformed, timedOut, tooLarge, unauthenticated } from '../errors.js';
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
  const watchdog = idleWatchdog(bounds);
  let total = 0;
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
 * Times out a body that keeps the agent waiting for `idleMs` on the agent's clock. Only time spent
 * waiting for the client counts (not time the store takes to write), and there is one timer per
 * idle period rather than one per chunk, which would cost more than the chunk itself. (Racing each
 * read against one long-lived promise would be simpler, but every race leaves a reaction on that
 * promise that keeps the chunk it resolved with alive: the whole body would stay in memory.)
 */
function idleWatchdog(bounds: BodyBounds) {
  const { clock, idleMs } = bounds;
  const stop = new AbortController();
  let waitingSince: number | null = null;
  let failWaiting: ((error: unknown) => void) | undefined;
  void (async () => {
    let delay = idleMs;
    for (;;) {
      await clock.sleep(delay, stop.signal);
      const waited = waitingSince === null ? 0 : clock.now().getTime() - waitingSince;
      if (waited >= idleMs) return failWaiting?.(timedOut(idleMs));
      delay = idleMs - waited;
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
 * (401 when it differs: the body is not what was signed), then parses it (400 when it is not JSON).
 * An empty body reads as `{}`.
 * @internal
 */
export async function readJsonBody(request: AgentRequest, bounds: BodyBounds, signedSha256: string): Promise<unknown> {
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
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw malformed('The body is not valid JSON: send a JSON object with content-type application/json.');
  }
}
