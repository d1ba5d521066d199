import type { Clock } from './clock.js';

/**
 * A custom poll trigger's function, registered with `scenarios.registerPoll`: called every
 * `intervalMs`, it fires a run when it answers `true` or `{ params }`. A throw is reported on the
 * `error` event and fires nothing.
 *
 * @example
 * ```ts
 * railyard.scenarios.registerPoll('new-files', async ({ since }) => {
 *   const files = await listFiles({ newerThan: since });
 *   return files.length > 0 ? { params: { files } } : false;
 * });
 * ```
 */
export type ScenarioPoll = (context: {
  /** The scenario whose trigger polls. */
  scenario: string;
  /** The trigger's id. */
  trigger: string;
  /** The trigger's params. */
  params: Readonly<Record<string, unknown>>;
  /** When the poll last ran, if ever. */
  since?: string;
  /** Aborted when the engine stops. */
  signal: AbortSignal;
  /** The engine's clock. */
  clock: Clock;
}) =>
  | boolean
  | null
  | undefined
  | {
      /** Params the fired run receives, over the trigger's. */
      params?: Record<string, unknown>;
    }
  | Promise<
      | boolean
      | null
      | undefined
      | {
          /** Params the fired run receives, over the trigger's. */
          params?: Record<string, unknown>;
        }
    >;
