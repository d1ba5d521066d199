import { Readable } from 'node:stream';
import type { Clock } from '@railyard/core';
import { type BlobSource, type PushProgress, systemClock } from '@railyard/core/adapters';
import { request as undiciRequest } from 'undici';
import { EMPTY_SHA256, sha256OfBody } from '../signing/canonical.js';
import { signRequest } from '../signing/sign-request.js';
import { errorFromResponse, networkError, redirected } from './response-error.js';

/**
 * How to reach an agent.
 *
 * @example
 * ```ts
 * const options: AgentClientOptions = { url: 'https://railyard.prod.example.com', keyId: 'design-site', secret: process.env.RAILYARD_KEY_SECRET! };
 * ```
 */
export interface AgentClientOptions {
  /** The agent's base URL, e.g. `https://railyard.prod.example.com` (a path prefix is kept). */
  url: string;
  /** The key id the agent knows this client by. */
  keyId: string;
  /** The key's shared secret; it signs requests and is never sent. */
  secret: string;
  /**
   * The agent's `audience`, as configured on it; every request is signed for it, so the agent of
   * another site refuses it. Defaults to the origin of `url` (e.g. `https://railyard.prod.example.com`).
   */
  audience?: string;
  /** Signs timestamps (and times event-stream reconnections); defaults to the wall clock. */
  clock?: Clock;
  /** Time limit of one JSON request (ms); default 30,000. Blob uploads and event streams have none. */
  timeoutMs?: number;
  /** HEAD requests in flight at once when asking which blobs are missing; default 8. */
  concurrency?: number;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Called as each blob's bytes are pushed (see `PushProgress` in `@railyard/core/adapters`). */
  onProgress?: (progress: PushProgress) => void;
}

/** One request to the agent. @internal */
export interface AgentCall {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST';
  /** Path (with encoded segments) and optional query, e.g. `/v1/blobs/sha256%3A…?size=3`. */
  path: string;
  /** A JSON body. */
  json?: unknown;
  /** Raw bytes signed by their sha256, sent with undici's `request` (see {@link sendBytes}). */
  stream?: { body: BlobSource; sha256: string; size: number };
  /** Statuses answered without throwing (e.g. 404 for HEAD). */
  accept?: number[];
  /** Aborts the call. */
  signal?: AbortSignal;
  /** No time limit (event streams). */
  unbounded?: boolean;
  /**
   * `false` for commands that must not run twice (approvals, rejections, rollbacks): a failure that
   * may have happened after the agent acted (a reset connection, a timeout) is then marked not
   * retryable; refusals (429, 503, …) and connections that were never made stay retryable. Default `true`.
   */
  idempotent?: boolean;
  /** Sent (and signed) as `Idempotency-Key`: the agent answers a repeat with its first answer. */
  idempotencyKey?: string;
  /** What the call does, for error messages. */
  what: string;
}

/** @internal */
export type Requester = (call: AgentCall) => Promise<Response>;

/**
 * Signs and sends calls to the agent, once each (a fresh nonce and timestamp per call), never
 * following a redirect (a 3xx is a typed, final error: the signed request is not re-sent). Failures
 * are classified, never retried here: network errors, 408, 425, 429 and 5xx are `retryable` (with
 * `details.retryAfterSeconds` from `Retry-After`), except a network error on a call that must not
 * run twice; the core's guard retries what is retryable.
 * @internal
 */
export function createRequester(options: AgentClientOptions): Requester {
  const base = options.url.replace(/\/+$/, '');
  const audience = options.audience ?? new URL(base).origin;
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  return async (call) => {
    const text = call.json === undefined ? undefined : JSON.stringify(call.json);
    const sha256 = call.stream ? call.stream.sha256 : text === undefined ? EMPTY_SHA256 : sha256OfBody(text);
    const url = new URL(base + call.path);
    const headers: Record<string, string> = signRequest({
      method: call.method,
      target: url.pathname + url.search,
      contentSha256: sha256,
      keyId: options.keyId,
      secret: options.secret,
      audience,
      now: clock.now(),
      ...(call.idempotencyKey !== undefined ? { idempotencyKey: call.idempotencyKey } : {}),
    });
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (call.stream) headers['content-length'] = String(call.stream.size);
    const signals = [call.signal, call.unbounded || call.stream ? undefined : AbortSignal.timeout(timeoutMs)];
    const active = signals.filter((s): s is AbortSignal => s !== undefined);
    const signal = active.length ? AbortSignal.any(active) : undefined;
    let response: Response;
    try {
      response = call.stream
        ? await sendBytes(url, call.method, headers, call.stream.body, signal)
        : await doFetch(url, {
            method: call.method,
            headers,
            body: text ?? null,
            signal: signal ?? null,
            // Signed headers never go to a host the caller did not name.
            redirect: 'manual',
          });
    } catch (error) {
      throw networkError(error, call.what, { mayHaveActed: call.idempotent === false });
    }
    if (response.status >= 300 && response.status < 400) throw await redirected(response, call.what);
    if (response.ok || call.accept?.includes(response.status)) return response;
    throw await errorFromResponse(response, call.what);
  };
}

/**
 * Sends raw bytes with undici's `request` rather than `fetch`: on a streamed upload `fetch` (web
 * streams) costs about twice the client CPU and reaches about 80 % of the throughput, which is what
 * the bulk of a push is (see bench/benchmarks/http-push.mjs). The answer is handed back as a
 * `Response` so the rest of the client is the same for both.
 */
async function sendBytes(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: BlobSource,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const answer = await undiciRequest(url, {
    method: method as 'PUT',
    headers,
    body: body instanceof Uint8Array || body instanceof Readable ? body : Readable.from(body, { objectMode: false }),
    ...(signal ? { signal } : {}),
  });
  const text = await answer.body.text();
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
  }
  return new Response(answer.statusCode === 204 ? null : text, { status: answer.statusCode, headers: responseHeaders });
}
