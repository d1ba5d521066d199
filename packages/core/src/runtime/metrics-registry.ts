import type { TelemetryAttributes } from '../contracts/telemetry.js';
import { METRICS, type MetricKey, type MetricSpec, SECONDS_BUCKETS } from './metrics-catalog.js';

/** One gauge reading, computed when metrics are read. @internal */
export interface GaugeReading {
  metric: 'deployments' | 'queue' | 'monitors';
  value: number;
  attributes: TelemetryAttributes;
}

/** One labelled series of a metric. @internal */
export interface Series {
  attributes: TelemetryAttributes;
  value: number;
  /** Histograms: per-bucket counts (not cumulative) and the count. */
  buckets?: number[];
  count?: number;
}

/** The engine always builds a metric's attributes in the same order, so no sorting is needed. */
const keyOf = (attributes: TelemetryAttributes) => {
  let key = '';
  for (const name in attributes) key += `${name}\u0000${attributes[name]}\u0001`;
  return key;
};

/**
 * The engine's own small collector: counters and histograms kept in memory, gauges read on demand,
 * rendered in the Prometheus text format (what the agent serves at `/v1/metrics`). It needs no
 * dependency and works whether or not OpenTelemetry is installed.
 * @internal
 */
export class MetricsRegistry {
  readonly #series = new Map<MetricKey, Map<string, Series>>();

  add(metric: MetricKey, value: number, attributes: TelemetryAttributes): void {
    this.series(metric, attributes).value += value;
  }

  record(metric: MetricKey, value: number, attributes: TelemetryAttributes): void {
    recordIn(this.series(metric, attributes), value);
  }

  /** One series, to record into again and again without looking it up (adapter calls). */
  series(metric: MetricKey, attributes: TelemetryAttributes): Series {
    let byKey = this.#series.get(metric);
    if (!byKey) {
      byKey = new Map();
      this.#series.set(metric, byKey);
    }
    const key = keyOf(attributes);
    let series = byKey.get(key);
    if (!series) {
      series = { attributes, value: 0 };
      byKey.set(key, series);
    }
    return series;
  }

  /** The Prometheus text exposition (version 0.0.4) of every metric, with `gauges` read now. */
  render(gauges: readonly GaugeReading[]): string {
    const lines: string[] = [];
    for (const key of Object.keys(METRICS) as MetricKey[]) {
      const spec: MetricSpec = METRICS[key];
      const name = prometheusName(spec);
      lines.push(`# HELP ${name} ${spec.description}`, `# TYPE ${name} ${spec.kind}`);
      if (spec.kind === 'gauge') {
        for (const reading of gauges)
          if (reading.metric === key) lines.push(`${name}${labels(reading.attributes)} ${reading.value}`);
        continue;
      }
      for (const series of this.#series.get(key)?.values() ?? []) {
        if (spec.kind === 'counter') {
          lines.push(`${name}${labels(series.attributes)} ${series.value}`);
          continue;
        }
        let cumulative = 0;
        SECONDS_BUCKETS.forEach((bound, index) => {
          cumulative += series.buckets?.[index] ?? 0;
          lines.push(`${name}_bucket${labels({ ...series.attributes, le: String(bound) })} ${cumulative}`);
        });
        lines.push(`${name}_bucket${labels({ ...series.attributes, le: '+Inf' })} ${series.count ?? 0}`);
        lines.push(`${name}_sum${labels(series.attributes)} ${series.value}`);
        lines.push(`${name}_count${labels(series.attributes)} ${series.count ?? 0}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Adds one observation to a histogram series. @internal */
export function recordIn(series: Series, value: number): void {
  series.value += value;
  series.count = (series.count ?? 0) + 1;
  series.buckets ??= new Array<number>(SECONDS_BUCKETS.length).fill(0);
  const at = SECONDS_BUCKETS.findIndex((bound) => value <= bound);
  if (at >= 0) series.buckets[at] = (series.buckets[at] ?? 0) + 1;
}

/** `railyard.adapter.duration` (s, histogram) → `railyard_adapter_duration_seconds`; counters end in `_total`. */
export function prometheusName(spec: MetricSpec): string {
  const base = spec.name.replace(/[^a-zA-Z0-9_]/g, '_');
  if (spec.kind === 'counter') return `${base}_total`;
  return spec.unit === 's' ? `${base}_seconds` : base;
}

function labels(attributes: TelemetryAttributes): string {
  const parts = Object.entries(attributes).map(
    ([name, value]) => `${name.replace(/[^a-zA-Z0-9_]/g, '_')}="${escapeLabel(String(value))}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
