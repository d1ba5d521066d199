const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** A duration in words as short as `3m`, `2h 5m`, `45s`. */
export function shortDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)}ms`;
  const parts: string[] = [];
  let rest = abs;
  for (const [unit, size] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

/** An instant as relative and absolute time: `3m ago (2026-05-01 10:00:00Z)`. */
export function when(iso: string | undefined | null, now: number): string {
  if (!iso) return '-';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const delta = now - at;
  const relative =
    Math.abs(delta) < 1000 ? 'just now' : delta > 0 ? `${shortDuration(delta)} ago` : `in ${shortDuration(delta)}`;
  return `${relative} (${new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')})`;
}

/** Parses `90s`, `15m`, `2h`, `1d` or a number of milliseconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const size = unit === 'ms' ? 1 : (UNITS.find(([u]) => u === unit)?.[1] ?? 1);
  return Math.round(n * size);
}
