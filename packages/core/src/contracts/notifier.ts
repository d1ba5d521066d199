import type { RailyardEventName, RailyardEvents } from './events.js';

/** The events notifiers receive: every lifecycle event (not the engine's own `error` reports). */
export type NotifiedEventName = Exclude<RailyardEventName, 'error'>;

/** One lifecycle event as a notifier receives it, discriminated on `type`. */
export type Notification<TName extends NotifiedEventName = NotifiedEventName> = {
  [K in TName]: {
    /** The event's name. */
    type: K;
    /** What the event carries, as listeners of `railyard.events` receive it. */
    payload: Parameters<RailyardEvents[K]>[0];
  };
}[TName];

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
  /** Delivers one event; a rejection is logged, never retried by the engine. */
  notify(notification: Notification): Promise<void>;
}
