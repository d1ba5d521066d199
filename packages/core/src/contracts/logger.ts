/**
 * A structured logger: the four levels of pino's API, each taking the facts as an object and a
 * message (`logger.info({ deploymentId }, 'deployment approved')`). A pino logger fits as is; so
 * does anything with the same four methods. Railyard logs ids, states, operations and error
 * causes, never the values of variables or other secrets.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const railyard = createRailyard({ store, blobs, logger: pino({ level: 'info' }) });
 * ```
 */
export interface Logger {
  /** Detail for debugging. */
  debug(facts: Record<string, unknown>, message: string): void;
  /** Progress: deployments moving, runs ending. */
  info(facts: Record<string, unknown>, message: string): void;
  /** Something deserving attention: a retried adapter call, a failed notifier. */
  warn(facts: Record<string, unknown>, message: string): void;
  /** A failure the engine could not recover from itself. */
  error(facts: Record<string, unknown>, message: string): void;
}

const ignore = () => undefined;

/** The logger used when none is given: drops everything. @internal */
export const silentLogger: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });
