import type { CheckpointSink } from '@railyard/core/adapters';
import { AdapterError, ValidationError } from '@railyard/core/errors';

/**
 * Options of {@link httpCheckpointSink}.
 *
 * @example
 * ```ts
 * const options: HttpCheckpointSinkOptions = { url: 'https://audit.example.com/railyard/checkpoints', headers: { authorization: `Bearer ${token}` } };
 * ```
 */
export interface HttpCheckpointSinkOptions {
  /** The endpoint that keeps checkpoints (https, unless it is on loopback). */
  url: string;
  /** Extra request headers, such as the endpoint's credentials. Never logged or put in errors. */
  headers?: Record<string, string>;
  /** Time limit of one POST in ms (default 10,000). */
  timeoutMs?: number;
  /** The `fetch` to use (default the global one), e.g. to add a proxy. */
  fetch?: typeof fetch;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A write-only {@link CheckpointSink} that POSTs each signed checkpoint as JSON
 * (`content-type: application/json`, the `SignedCheckpoint` as the body) to an endpoint outside
 * the state store's reach, such as an audit service. Any 2xx is success; redirects are not
 * followed (a 3xx fails); 408, 425, 429 and 5xx and network failures throw a retryable
 * `AdapterError`, another status a final one. The endpoint should keep the first checkpoint per
 * `seq` and may verify it with the public key (`verifyJournal(entries, { signed })`). It cannot
 * list, so `journal.verify()` does not read it back: verify where the checkpoints are kept.
 *
 * @example
 * ```ts
 * const railyard = createRailyard({
 *   store, blobs,
 *   checkpoints: { sink: httpCheckpointSink({ url: 'https://audit.example.com/railyard/checkpoints' }), privateKey, publicKey },
 * });
 * ```
 */
export function httpCheckpointSink(options: HttpCheckpointSinkOptions): CheckpointSink {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    throw new ValidationError(
      'httpCheckpointSink: url is not a valid URL; give an absolute URL like https://audit.example.com/railyard/checkpoints.',
      { cause: error },
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ValidationError('httpCheckpointSink: url must be https (plain http is allowed on loopback only).');
  }
  if (url.username || url.password) {
    throw new ValidationError('httpCheckpointSink: put credentials in headers, not in the url.');
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const where = `checkpoint endpoint ${url.origin}`;
  return {
    async put(checkpoint) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { ...options.headers, 'content-type': 'application/json' },
          body: JSON.stringify(checkpoint),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new AdapterError(`Could not reach the ${where}; the checkpoint is exported again on the next pass.`, {
          cause: error,
          retryable: true,
        });
      }
      await response.body?.cancel();
      if (response.ok) return;
      throw new AdapterError(
        `The ${where} answered ${response.status} to checkpoint ${checkpoint.seq}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed: configure the final url)' : ''}.`,
        { retryable: RETRYABLE.has(response.status), details: { status: response.status, seq: checkpoint.seq } },
      );
    },
  };
}
