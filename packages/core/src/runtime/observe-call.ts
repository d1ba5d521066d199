import { isRailyardError } from '../errors/errors.js';
import type { Telemetry } from './telemetry.js';

/** Which adapter a call goes to, as the `adapter` attribute says. @internal */
export type AdapterKind = 'state' | 'blob' | 'transport';

/** What one kind of adapter call records: its span's name and attributes, and its latency series. @internal */
export interface CallObserver {
  readonly telemetry: Telemetry;
  readonly adapter: AdapterKind;
  readonly operation: string;
  readonly span: string;
  readonly spanAttributes: { 'railyard.adapter': AdapterKind; 'railyard.operation': string };
  readonly duration: (seconds: number) => void;
}

/** Prepares the observer of one kind of call, once, so that each call only measures. @internal */
export function callObserver(telemetry: Telemetry, adapter: AdapterKind, operation: string): CallObserver {
  return {
    telemetry,
    adapter,
    operation,
    span: `railyard.${adapter} ${operation}`,
    spanAttributes: { 'railyard.adapter': adapter, 'railyard.operation': operation },
    duration: telemetry.histogram('callDuration', { adapter, operation }),
  };
}

/**
 * Runs one adapter call in a span (`railyard.state get`, `railyard.transport promote`, …) and
 * records its latency and, when it fails, its error code.
 * @internal
 */
export async function observeCall<T>(observer: CallObserver, call: () => Promise<T>): Promise<T> {
  const { telemetry } = observer;
  const started = performance.now();
  try {
    return await (telemetry.tracing ? telemetry.span(observer.span, observer.spanAttributes, call) : call());
  } catch (error) {
    const code = isRailyardError(error) ? error.code : 'UNKNOWN';
    telemetry.add('callErrors', 1, { adapter: observer.adapter, operation: observer.operation, code });
    throw error;
  } finally {
    observer.duration((performance.now() - started) / 1000);
  }
}
