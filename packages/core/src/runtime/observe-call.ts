import { isRailyardError } from '../errors/errors.js';
import type { Telemetry } from './telemetry.js';

/** Which adapter a call goes to, as the `adapter` attribute says. @internal */
export type AdapterKind = 'state' | 'blob' | 'transport';

/**
 * Runs one adapter call in a span (`railyard.state get`, `railyard.transport promote`, …) and
 * records its latency and, when it fails, its error code.
 * @internal
 */
export async function observeCall<T>(
  telemetry: Telemetry,
  adapter: AdapterKind,
  operation: string,
  call: () => Promise<T>,
): Promise<T> {
  const attributes = { adapter, operation };
  const started = performance.now();
  try {
    return await telemetry.span(
      `railyard.${adapter} ${operation}`,
      { 'railyard.adapter': adapter, 'railyard.operation': operation },
      call,
    );
  } catch (error) {
    telemetry.add('callErrors', 1, { ...attributes, code: isRailyardError(error) ? error.code : 'UNKNOWN' });
    throw error;
  } finally {
    telemetry.record('callDuration', (performance.now() - started) / 1000, attributes);
  }
}
