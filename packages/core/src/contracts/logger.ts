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
  debug(facts: Record<string, unknown>, message: string): void;
  info(facts: Record<string, unknown>, message: string): void;
  warn(facts: Record<string, unknown>, message: string): void;
  error(facts: Record<string, unknown>, message: string): void;
}

const ignore = () => undefined;

/** The logger used when none is given: drops everything. @internal */
export const silentLogger: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });
