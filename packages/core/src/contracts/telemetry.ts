/** Attribute values OpenTelemetry accepts. */
export type TelemetryAttributes = Record<string, string | number | boolean>;

/** The part of an OpenTelemetry span Railyard uses. */
export interface TelemetrySpan {
  setAttributes(attributes: TelemetryAttributes): unknown;
  recordException(exception: Error): void;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The part of an OpenTelemetry tracer Railyard uses. */
export interface TelemetryTracer {
  startActiveSpan<F extends (span: TelemetrySpan) => unknown>(
    name: string,
    options: { attributes?: TelemetryAttributes },
    fn: F,
  ): ReturnType<F>;
}

/** The part of an OpenTelemetry meter Railyard uses. */
export interface TelemetryMeter {
  createCounter(
    name: string,
    options: { description: string; unit: string },
  ): { add(value: number, attributes?: TelemetryAttributes): void };
  createHistogram(
    name: string,
    options: { description: string; unit: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): { record(value: number, attributes?: TelemetryAttributes): void };
  createObservableGauge(
    name: string,
    options: { description: string; unit: string },
  ): {
    addCallback(
      callback: (result: { observe(value: number, attributes?: TelemetryAttributes): void }) => unknown,
    ): void;
  };
}

/**
 * The part of `@opentelemetry/api` Railyard uses: pass the module itself
 * (`import * as api from '@opentelemetry/api'`).
 */
export interface OpenTelemetryApi {
  trace: { getTracerProvider(): TelemetryTracerProvider };
  metrics: { getMeterProvider(): TelemetryMeterProvider };
}

/** An OpenTelemetry `TracerProvider` (the SDK's `BasicTracerProvider`, `NodeTracerProvider`, …). */
export interface TelemetryTracerProvider {
  getTracer(name: string, version?: string): TelemetryTracer;
}

/** An OpenTelemetry `MeterProvider` (the SDK's `MeterProvider`). */
export interface TelemetryMeterProvider {
  getMeter(name: string, version?: string): TelemetryMeter;
}

/**
 * OpenTelemetry for `createRailyard({ telemetry })`. `@opentelemetry/api` is an optional peer
 * dependency: without `api`, Railyard imports it when created, and if it is not installed,
 * tracing and OpenTelemetry metrics are off (nothing else changes). The providers default to the
 * globally registered ones. Spans nest only under a context manager (the Node SDK registers one).
 *
 * @example
 * ```ts
 * import * as api from '@opentelemetry/api';
 * const railyard = createRailyard({ store, blobs, telemetry: { api, tracerProvider, meterProvider } });
 * ```
 */
export interface TelemetryOptions {
  /** The `@opentelemetry/api` module, or a function that loads it. Default: `import('@opentelemetry/api')`. */
  api?: OpenTelemetryApi | (() => Promise<OpenTelemetryApi>);
  /** Default: the global tracer provider of `api`. */
  tracerProvider?: TelemetryTracerProvider;
  /** Default: the global meter provider of `api`. */
  meterProvider?: TelemetryMeterProvider;
}
