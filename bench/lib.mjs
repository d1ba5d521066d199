// Shared helpers for the benchmarks: timing, interleaved rounds, medians and `# ` notes.

/** `BENCH_QUICK=1`: a very short run (CI smoke). The figures are then only indicative. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** Prints a human line (the runner's output keeps `BENCH ` lines machine-readable). */
export function note(text) {
  console.log(`# ${text}`);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for display: integers from 100 up, otherwise 3 significant digits. */
export function round(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** `median (min–max)` of a list of rates. */
export function spread(values, unit = '') {
  const u = unit ? ` ${unit}` : '';
  return `${round(median(values))}${u} (${round(Math.min(...values))}–${round(Math.max(...values))})`;
}

/**
 * Times one sample. `fn` does the work and returns how many operations it did (or an object
 * `{ ops, ...extra }`); the result is `{ rate: ops per second, ms, ops, ...extra }`.
 */
export async function sample(fn) {
  const t0 = performance.now();
  const out = await fn();
  const ms = performance.now() - t0;
  const ops = typeof out === 'number' ? out : out.ops;
  return { ...(typeof out === 'object' ? out : {}), ops, ms, rate: ops / (ms / 1000) };
}

/**
 * Warms up, then runs the subject and its baseline in `rounds` rounds, alternating which goes
 * first. Each contender is `async (round) => { ops, ... }` and does its own untimed setup before
 * calling the timed `measure(fn)` it is given. Returns the samples of each and the per-round
 * ratio subject/baseline (paired, so slow drift of the host cancels out).
 */
export async function interleave({ subject, baseline, rounds, warmup = 1 }) {
  for (let i = 0; i < warmup; i++) {
    await subject(-1 - i);
    await baseline(-1 - i);
  }
  const subjectSamples = [];
  const baselineSamples = [];
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    let s;
    let b;
    if (r % 2 === 0) {
      s = await subject(r);
      b = await baseline(r);
    } else {
      b = await baseline(r);
      s = await subject(r);
    }
    subjectSamples.push(s);
    baselineSamples.push(b);
    ratios.push(s.rate / b.rate);
  }
  return { subject: subjectSamples, baseline: baselineSamples, ratios };
}

/** Gives V8 a chance to collect between samples, so one contender does not pay for the other's garbage. */
export async function settleHeap() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  await new Promise((resolve) => setImmediate(resolve));
}
