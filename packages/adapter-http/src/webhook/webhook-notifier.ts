import {
  adapterError,
  type Clock,
  type Notification,
  type NotifiedEventName,
  type Notifier,
  sha256Hex,
  systemClock,
} from '@railyard/core/adapters';
import { AdapterError, ValidationError } from '@railyard/core/errors';
import { signWebhook, webhookSecretBytes } from './standard-webhooks.js';

/**
 * Options of {@link webhookNotifier}.
 *
 * @example
 * ```ts
 * const options: WebhookNotifierOptions = { url: 'https://hooks.example.com/railyard', secret: process.env.WEBHOOK_SECRET!, timeoutMs: 5_000 };
 * ```
 */
export interface WebhookNotifierOptions {
  /**
   * The receiver's endpoint: `https://` (plain `http://` only to a loopback address with
   * `allowInsecureLoopback`), without user name or password. Checked when the notifier is created.
   * Its path may hold a token: errors and logs name only its origin.
   */
  url: string;
  /** Allow `http://` to 127.0.0.0/8, `::1` or `localhost` (a receiver on the same machine, tests). Default `false`. */
  allowInsecureLoopback?: boolean;
  /** Standard Webhooks secret: `whsec_` + base64 of at least 24 bytes. */
  secret: string;
  /** Only these event types are sent (default: all). */
  events?: NotifiedEventName[];
  /** Time limit of one attempt in ms (default 10,000). */
  timeoutMs?: number;
  /** The clock for timestamps and retry delays (default the wall clock). */
  clock?: Clock;
  /** The `fetch` to use (default the global one). */
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
  /** The event's name. */
  type: NotifiedEventName;
  /** When the event was handed to the notifier (ISO 8601). */
  timestamp: string;
  /** The event's payload, as `railyard.events` delivers it. */
  data: unknown;
}

const RETRYABLE = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

/**
 * Checks a webhook URL once, when the notifier is created, and returns the origin that errors may
 * name. The messages never repeat the URL: its path or user info may be a credential.
 */
function checkWebhookUrl(url: unknown, allowInsecureLoopback: boolean): URL {
  if (typeof url !== 'string' || !URL.canParse(url))
    throw new ValidationError('webhookNotifier: "url" is not an absolute URL; pass the receiver\'s https:// endpoint.');
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '')
    throw new ValidationError(
      `webhookNotifier: the URL for ${parsed.protocol}//${parsed.host} carries a user name or password; remove it (receivers authenticate Railyard by the webhook signature).`,
    );
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && allowInsecureLoopback && LOOPBACK.test(parsed.hostname)) return parsed;
  throw new ValidationError(
    parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname)
      ? `webhookNotifier: ${parsed.origin} is plain http; pass allowInsecureLoopback: true to allow it on loopback, or use https.`
      : `webhookNotifier: ${parsed.protocol}//${parsed.host} is not https; webhooks carry deployment events and must be sent over TLS.`,
  );
}

/**
 * A {@link Notifier} that POSTs each lifecycle event as a signed webhook in the Standard Webhooks
 * style: headers `webhook-id` (`msg_` + a digest of the first body, the same on every attempt: use
 * it to deduplicate), `webhook-timestamp` (seconds, fresh per attempt) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`). Each call makes one attempt: network
 * failures, 408, 409, 425, 429 and 5xx throw a retryable `AdapterError` (with the receiver's
 * `Retry-After`), which the core retries with back-off as `createRailyard({ retry })` says; another
 * 4xx is final, and so is a redirect, which is never followed (the event would go to a host nobody
 * configured). The URL is checked at creation (https, or http to loopback with
 * `allowInsecureLoopback`; no user info: a typed `VALIDATION` error), and errors name only its origin. Delivery is at least once while the process runs; a delivery that still fails is
 * reported on the Railyard's `error` event and never blocks a deployment.
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
  const url = checkWebhookUrl(options.url, options.allowInsecureLoopback === true).href;
  const origin = new URL(url).origin;
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // The core retries by calling notify again with the same notification: its body (and so its id)
  // must be the same on every attempt, while the signature's timestamp is fresh.
  const bodies = new WeakMap<Notification, { id: string; body: string }>();
  const bodyOf = (notification: Notification) => {
    let known = bodies.get(notification);
    if (!known) {
      const payload: WebhookPayload = {
        type: notification.type,
        timestamp: clock.now().toISOString(),
        data: notification.payload,
      };
      const body = JSON.stringify(payload);
      known = { id: `msg_${sha256Hex(body).slice(0, 32)}`, body };
      bodies.set(notification, known);
    }
    return known;
  };

  return {
    async notify(notification) {
      if (options.events && !options.events.includes(notification.type)) return;
      const { id, body } = bodyOf(notification);
      const timestamp = Math.floor(clock.now().getTime() / 1000);
      const what = `Webhook ${id} (${notification.type}) to ${origin}`;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook({ secret: options.secret, id, timestamp, body }),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw adapterError({
          operation: what,
          cause: error,
          reason: `no answer (${describe(error)})`,
          hint: 'Check that the receiver is up and reachable.',
          retryable: true,
          details: { webhookId: id },
        });
      }
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      if (response.status >= 300 && response.status < 400)
        throw new AdapterError(
          `${what} was answered with a redirect (HTTP ${response.status}), which is never followed; it will not be retried. Configure the receiver's final URL.`,
          { details: { httpStatus: response.status, webhookId: id, reason: 'redirect' } },
        );
      if (!RETRYABLE.has(response.status))
        throw new AdapterError(
          `Webhook ${id} to ${origin} was refused with HTTP ${response.status}; it will not be retried. Check the receiver's secret and URL.`,
          { details: { httpStatus: response.status, webhookId: id } },
        );
      const header = response.headers.get('retry-after');
      throw new AdapterError(
        `${what} failed with HTTP ${response.status}; it may be retried. Check that the receiver is up.`,
        {
          retryable: true,
          details: {
            webhookId: id,
            httpStatus: response.status,
            ...(header && /^[0-9]+$/.test(header) ? { retryAfterSeconds: Number(header) } : {}),
          },
        },
      );
    },
  };
}

/** A network failure in a few words, without the URL (undici names the address and code only). */
function describe(error: unknown): string {
  const failure = error as { name?: string; code?: string; cause?: { code?: string } };
  return failure?.cause?.code ?? failure?.code ?? (failure?.name === 'TimeoutError' ? 'timed out' : 'network error');
}
