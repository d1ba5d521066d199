import { type Clock, type NotifiedEventName, type Notifier, sha256Hex, systemClock } from '@railyard/core/adapters';
import { AdapterError } from '@railyard/core/errors';
import { signWebhook, webhookSecretBytes } from './standard-webhooks.js';

/**
 * Options of {@link webhookNotifier}.
 *
 * @example
 * ```ts
 * const options: WebhookNotifierOptions = { url: 'https://hooks.example.com/railyard', secret: process.env.WEBHOOK_SECRET!, retries: 8 };
 * ```
 */
export interface WebhookNotifierOptions {
  /** The receiver's endpoint (https in production). */
  url: string;
  /** Standard Webhooks secret: `whsec_` + base64 of at least 24 bytes. */
  secret: string;
  /** Only these event types are sent (default: all). */
  events?: NotifiedEventName[];
  /** Attempts after the first (default 6). */
  retries?: number;
  /** First back-off in ms, doubled each attempt with jitter (default 1,000). */
  minDelayMs?: number;
  /** Longest back-off in ms (default 60,000). `Retry-After` from the receiver wins, up to this. */
  maxDelayMs?: number;
  /** Time limit of one attempt in ms (default 10,000). */
  timeoutMs?: number;
  clock?: Clock;
  fetch?: typeof fetch;
}

/**
 * The JSON body of every webhook: Standard Webhooks' `{ type, timestamp, data }`.
 *
 * @example
 * ```ts
 * const payload = JSON.parse(rawBody) as WebhookPayload;
 * if (payload.type === 'deployment.transition') console.log(payload.data);
 * ```
 */
export interface WebhookPayload {
  type: NotifiedEventName;
  /** When the event was handed to the notifier (ISO 8601). */
  timestamp: string;
  /** The event's payload, as `railyard.events` delivers it. */
  data: unknown;
}

const RETRYABLE = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/**
 * A {@link Notifier} that POSTs each lifecycle event as a signed webhook in the Standard Webhooks
 * style: headers `webhook-id` (`msg_` + a digest of the body, the same on every attempt: use it
 * to deduplicate), `webhook-timestamp` (seconds, fresh per attempt) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`). Network failures, 408, 409, 425, 429
 * and 5xx are retried with exponential back-off and jitter; another 4xx is final. Delivery is at
 * least once while the process runs; a delivery that still fails is reported on the Railyard's
 * `error` event and never blocks a deployment.
 *
 * @example
 * ```ts
 * const railyard = createRailyard({
 *   store, blobs,
 *   notifiers: [webhookNotifier({ url: 'https://hooks.example.com/railyard', secret: process.env.WEBHOOK_SECRET!, events: ['deployment.transition'] })],
 * });
 * ```
 */
export function webhookNotifier(options: WebhookNotifierOptions): Notifier {
  webhookSecretBytes(options.secret);
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 6;
  const minDelay = options.minDelayMs ?? 1_000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function attempt(
    id: string,
    body: string,
  ): Promise<{ done: boolean; status?: number; retryAfter?: number; cause?: unknown }> {
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    try {
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook({ secret: options.secret, id, timestamp, body }),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { done: true };
      if (!RETRYABLE.has(response.status))
        throw new AdapterError(
          `Webhook ${id} to ${options.url} was refused with HTTP ${response.status}; it will not be retried. Check the receiver's secret and URL.`,
          { details: { httpStatus: response.status, webhookId: id } },
        );
      const header = response.headers.get('retry-after');
      return {
        done: false,
        status: response.status,
        ...(header && /^[0-9]+$/.test(header) ? { retryAfter: Number(header) } : {}),
      };
    } catch (error) {
      if (error instanceof AdapterError) throw error;
      return { done: false, cause: error };
    }
  }

  return {
    async notify(notification) {
      if (options.events && !options.events.includes(notification.type)) return;
      const payload: WebhookPayload = {
        type: notification.type,
        timestamp: clock.now().toISOString(),
        data: notification.payload,
      };
      const body = JSON.stringify(payload);
      const id = `msg_${sha256Hex(body).slice(0, 32)}`;
      let last: { status?: number; cause?: unknown } = {};
      for (let retry = 0; retry <= retries; retry++) {
        const result = await attempt(id, body);
        if (result.done) return;
        last = result;
        if (retry === retries) break;
        const backoff = Math.min(maxDelay, minDelay * 2 ** retry) * (0.5 + Math.random() / 2);
        await clock.sleep(result.retryAfter !== undefined ? Math.min(result.retryAfter * 1000, maxDelay) : backoff);
      }
      throw new AdapterError(
        `Webhook ${id} (${notification.type}) to ${options.url} failed ${retries + 1} times (last: ${last.status ? `HTTP ${last.status}` : 'no answer'}); it was dropped. Check that the receiver is up.`,
        {
          cause: last.cause,
          retryable: true,
          details: { webhookId: id, ...(last.status ? { httpStatus: last.status } : {}) },
        },
      );
    },
  };
}
