import * as api from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A reader the test collects from when it wants (no timer). */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The real OpenTelemetry SDK with in-memory exporters, and an async-hooks context manager so spans nest. */
export function createOtel() {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    telemetry: { api, tracerProvider, meterProvider },
    finished: (): ReadableSpan[] => spans.getFinishedSpans(),
    /** Every data point of a metric, by its attributes. */
    async points(name: string): Promise<Array<DataPoint<unknown>>> {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === name);
      return (metric?.dataPoints ?? []) as Array<DataPoint<unknown>>;
    },
    async close() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      contextManager.disable();
      api.context.disable();
    },
  };
}

/** A span's parent span id (SDK 2.x: `parentSpanContext`). */
export const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
