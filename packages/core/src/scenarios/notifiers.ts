import type { Notification, NotifiedEventName, Notifier } from '../contracts/notifier.js';

/**
 * Options of {@link consoleNotifier}.
 *
 * @example
 * ```ts
 * consoleNotifier({ channels: ['oncall'], write: (line) => logger.info(line) } satisfies ConsoleNotifierOptions);
 * ```
 */
export interface ConsoleNotifierOptions {
  /** Which events to print (default: scenario reports only). */
  types?: readonly NotifiedEventName[];
  /** Only reports of these channels (reports without a channel always pass). */
  channels?: readonly string[];
  /** Where lines go (default: `console.log`). */
  write?: (line: string) => void;
}

/**
 * A notifier that prints one line per notification: scenario reports by default (their message),
 * or any lifecycle events you name (their type and a short summary).
 *
 * @example
 * ```ts
 * createRailyard({ store, blobs, notifiers: [consoleNotifier({ types: ['scenario.report', 'deployment.transition'] })] });
 * ```
 */
export function consoleNotifier(options: ConsoleNotifierOptions = {}): Notifier {
  const types = new Set<string>(options.types ?? ['scenario.report']);
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    async notify(notification) {
      if (!types.has(notification.type)) return;
      if (notification.type === 'scenario.report') {
        const { channel, message } = notification.payload;
        if (options.channels && channel !== undefined && !options.channels.includes(channel)) return;
        write(`[railyard${channel ? ` ${channel}` : ''}] ${message}`);
        return;
      }
      write(`[railyard] ${notification.type} ${summary(notification)}`);
    },
  };
}

function summary(notification: Notification): string {
  const payload = notification.payload as unknown as Record<string, unknown>;
  if (notification.type === 'deployment.transition')
    return `${notification.payload.deployment.id}: ${notification.payload.from} → ${notification.payload.to}`;
  if (notification.type === 'scenario.run')
    return `${notification.payload.run.id} (${notification.payload.run.scenario}): ${notification.payload.from ?? 'new'} → ${notification.payload.to}`;
  return JSON.stringify(payload).slice(0, 300);
}

/**
 * A notifier that keeps what it receives, for tests.
 *
 * @example
 * ```ts
 * const notifier: MemoryNotifier = memoryNotifier();
 * notifier.of('scenario.report');
 * ```
 */
export interface MemoryNotifier extends Notifier {
  /** Every notification received, in order. */
  readonly notifications: Notification[];
  /** The payloads of one type, in order. */
  of<TName extends NotifiedEventName>(type: TName): Array<Notification<TName>['payload']>;
  /** Forgets everything received so far. */
  clear(): void;
}

/**
 * A notifier that records notifications in memory, for tests.
 *
 * @example
 * ```ts
 * const notifier = memoryNotifier();
 * const railyard = createRailyard({ store, blobs, clock, notifiers: [notifier] });
 * // …
 * expect(notifier.of('scenario.report').map((r) => r.outcome)).toEqual(['failed']);
 * ```
 */
export function memoryNotifier(): MemoryNotifier {
  const notifications: Notification[] = [];
  return {
    notifications,
    async notify(notification) {
      notifications.push(notification);
    },
    of(type) {
      return notifications.filter((n) => n.type === type).map((n) => n.payload) as never;
    },
    clear() {
      notifications.length = 0;
    },
  };
}
