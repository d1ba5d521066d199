import type { RailyardEventName, RailyardEvents } from '../engine/events.js';

/** One lifecycle event as a notifier receives it. */
export interface Notification<TName extends RailyardEventName = RailyardEventName> {
  type: TName;
  payload: Parameters<RailyardEvents[TName]>[0];
}

/**
 * Delivers lifecycle events somewhere else (webhooks, chat, mail). Failures are logged and never
 * block a deployment.
 *
 * @example
 * ```ts
 * const notifier: Notifier = { async notify(n) { console.log(n.type) } };
 * ```
 */
export interface Notifier {
  notify(notification: Notification): Promise<void>;
}
