import { adapterError } from '@railyard/core/adapters';
import { AdapterError, type RailyardError, type RailyardErrorJSON, railyardErrorFromJSON } from '@railyard/core/errors';

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

function isErrorJSON(value: unknown): value is RailyardErrorJSON {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string';
}

/**
 * Turns an error response into the error the agent threw: its typed JSON body is rebuilt with
 * `railyardErrorFromJSON` (so `instanceof PolicyError` and `code` survive the network). A body that
 * is not Railyard's (a proxy's error page) becomes an `AdapterError` carrying the status, retryable
 * for 408, 425, 429 and 5xx. `details.retryAfterSeconds` comes from `Retry-After` when the body
 * does not say.
 * @internal
 */
export async function errorFromResponse(response: Response, what: string): Promise<RailyardError> {
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  if (isErrorJSON(parsed)) {
    const error = railyardErrorFromJSON({ ...parsed, details: { ...(parsed.details ?? {}) } });
    if (retryAfter !== undefined && typeof error.details.retryAfterSeconds !== 'number')
      error.details.retryAfterSeconds = retryAfter;
    return error;
  }
  return new AdapterError(
    `${what}: the agent answered HTTP ${response.status}${text ? ` (${text.slice(0, 200)})` : ''}. Check the URL, and any proxy in between.`,
    {
      retryable: RETRYABLE_STATUS.has(response.status),
      details: {
        httpStatus: response.status,
        ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
      },
    },
  );
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^[0-9]+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * A failure to reach the agent at all (connection refused or reset, DNS, TLS, a timeout): an
 * `AdapterError` keeping the original as `cause`, classified with core's `adapterError`. It is
 * retryable, except when the call must not run twice (`mayHaveActed`) and the connection was
 * made: the agent may have acted before the answer was lost, so resending could act twice.
 * @internal
 */
export function networkError(error: unknown, what: string, options: { mayHaveActed?: boolean } = {}): RailyardError {
  const failure = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = failure?.cause?.code ?? failure?.code;
  const reason = code ?? failure?.cause?.message ?? failure?.message ?? String(error);
  const neverConnected = code === 'ECONNREFUSED';
  return adapterError({
    operation: what,
    cause: error,
    reason: `could not reach the agent (${reason})`,
    hint:
      options.mayHaveActed && !neverConnected
        ? 'The agent may have acted before the connection failed: check the outcome (history, the journal) before sending it again.'
        : 'Check that it runs and the URL is right.',
    retryable: !options.mayHaveActed || neverConnected,
    details: { network: true, ...(code ? { code } : {}) },
  });
}

/**
 * The agent's URL answered with a redirect: the client never follows one with signed headers, so
 * the request was not re-sent. A final `ADAPTER` error naming only where it points (origin), with
 * `details.reason` `'redirect'`.
 * @internal
 */
export async function redirected(response: Response, what: string): Promise<RailyardError> {
  await response.body?.cancel().catch(() => undefined);
  const location = response.headers.get('location');
  // Only the origin: a Location's path and query may carry tokens.
  let target = 'a path on the same host';
  if (location && URL.canParse(location)) target = new URL(location).origin;
  return new AdapterError(
    `${what}: the agent's URL answered HTTP ${response.status}, a redirect to ${target}. Signed requests are never forwarded: set the client's url to the agent's final address.`,
    { retryable: false, details: { httpStatus: response.status, reason: 'redirect' } },
  );
}
