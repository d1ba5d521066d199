import type { Logger } from '../contracts/logger.js';
import type {
  OpenTelemetryApi,
  TelemetryAttributes,
  TelemetryMeter,
  TelemetryOptions,
  TelemetrySpan,
  TelemetryTracer,
} from '../contracts/telemetry.js';
import { METRICS, type MetricKey, SECONDS_BUCKETS } from './metrics-catalog.js';
import { type GaugeReading, MetricsRegistry, recordIn } from './metrics-registry.js';

/** `SpanStatusCode.ERROR` of `@opentelemetry/api`. */
const STATUS_ERROR = 2;
const SCOPE = '@railyard/core';

type OtelInstrument = {
  add?(value: number, attributes?: TelemetryAttributes): void;
  record?(value: number, attributes?: TelemetryAttributes): void;
};

/**
 * The engine's spans and metrics. Metrics always go to the engine's own registry (the Prometheus
 * endpoint) and, once OpenTelemetry is loaded, to its meter; spans exist only with OpenTelemetry.
 * Without it, {@link span} just calls its function.
 * @internal
 */
export class Telemetry {
  readonly registry = new MetricsRegistry();
  #tracer: TelemetryTracer | undefined;
  readonly #otel = new Map<MetricKey, OtelInstrument>();
  #gauges: () => Promise<GaugeReading[]> = async () => [];
  #reading: Promise<GaugeReading[]> | undefined;
  /** Settles once OpenTelemetry is loaded, or known to be absent. */
  readonly ready: Promise<void>;
  /** Whether {@link ready} has settled: until then, spans wait for it (so the first commands are traced too). */
  #settled: boolean;

  constructor(options: TelemetryOptions | undefined, logger: Logger) {
    this.#settled = options === undefined;
    this.ready = options
      ? this.#load(options, logger).finally(() => {
          this.#settled = true;
        })
      : Promise.resolve();
  }

  /** Whether spans are recorded (OpenTelemetry is loaded). */
  get tracing(): boolean {
    return this.#tracer !== undefined;
  }

  /** Where gauge readings come from (the composition root reads environments and health). */
  setGauges(read: () => Promise<GaugeReading[]>): void {
    this.#gauges = read;
  }

  /** Current gauge readings; concurrent readers share one read. */
  readGauges(): Promise<GaugeReading[]> {
    this.#reading ??= this.#gauges().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  /** Prometheus text of every metric. */
  async prometheus(): Promise<string> {
    return this.registry.render(await this.readGauges());
  }

  add(metric: MetricKey, value: number, attributes: TelemetryAttributes): void {
    this.registry.add(metric, value, attributes);
    this.#otel.get(metric)?.add?.(value, attributes);
  }

  record(metric: MetricKey, value: number, attributes: TelemetryAttributes): void {
    this.registry.record(metric, value, attributes);
    this.#otel.get(metric)?.record?.(value, attributes);
  }

  /** A histogram series bound to fixed attributes, for calls recorded very often. */
  histogram(metric: MetricKey, attributes: TelemetryAttributes): (value: number) => void {
    const series = this.registry.series(metric, attributes);
    return (value) => {
      recordIn(series, value);
      this.#otel.get(metric)?.record?.(value, attributes);
    };
  }

  /** Runs `fn` in a span (the active one while it runs); errors are recorded on it and rethrown. */
  span<T>(
    name: string,
    attributes: TelemetryAttributes,
    fn: (span: TelemetrySpan | undefined) => Promise<T>,
  ): Promise<T> {
    if (!this.#settled) return this.ready.then(() => this.span(name, attributes, fn));
    const tracer = this.#tracer;
    if (!tracer) return fn(undefined);
    return tracer.startActiveSpan(name, { attributes }, async (span: TelemetrySpan) => {
      try {
        return await fn(span);
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  async #load(options: TelemetryOptions, logger: Logger): Promise<void> {
    let api: OpenTelemetryApi | undefined;
    if (!options.tracerProvider || !options.meterProvider) {
      try {
        api =
          typeof options.api === 'function'
            ? await options.api()
            : (options.api ?? ((await import('@opentelemetry/api')) as unknown as OpenTelemetryApi));
      } catch (error) {
        logger.warn(
          { err: error },
          'OpenTelemetry is off: @opentelemetry/api could not be loaded (install it, or pass telemetry.api)',
        );
        return;
      }
    }
    const tracerProvider = options.tracerProvider ?? api?.trace.getTracerProvider();
    const meterProvider = options.meterProvider ?? api?.metrics.getMeterProvider();
    this.#tracer = tracerProvider?.getTracer(SCOPE);
    if (meterProvider) this.#instruments(meterProvider.getMeter(SCOPE));
  }

  #instruments(meter: TelemetryMeter): void {
    for (const key of Object.keys(METRICS) as MetricKey[]) {
      const spec = METRICS[key];
      const options = { description: spec.description, unit: spec.unit };
      if (spec.kind === 'counter') this.#otel.set(key, meter.createCounter(spec.name, options));
      else if (spec.kind === 'histogram')
        this.#otel.set(
          key,
          meter.createHistogram(spec.name, { ...options, advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS] } }),
        );
      else
        meter.createObservableGauge(spec.name, options).addCallback(async (result) => {
          for (const reading of await this.readGauges())
            if (reading.metric === key) result.observe(reading.value, reading.attributes);
        });
    }
  }
}

/** Marks a span failed with the error's code and message. @internal */
export function failSpan(span: TelemetrySpan, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: STATUS_ERROR, message: err.message });
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') span.setAttributes({ 'railyard.error.code': code });
}
