import { createRequire } from 'node:module';
import type { Progress } from '@railyard/core';

/** Where progress is drawn: stderr, so that stdout keeps only the command's result. */
export interface ProgressStreams {
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** A progress display for one piece of work; `update` is cheap, `stop` prints the end. */
export interface ProgressDisplay {
  update(progress: Progress): void;
  stop(): void;
}

const PLAIN_EVERY_MS = 2_000;

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function rateAndEta(progress: Progress, startedAt: number, now: number): { rate: string; eta: string } {
  const seconds = Math.max((now - startedAt) / 1000, 0.001);
  const perSecond = progress.bytesDone / seconds;
  const left = progress.bytesTotal - progress.bytesDone;
  const eta = perSecond > 0 ? Math.ceil(left / perSecond) : null;
  return { rate: `${formatBytes(Math.round(perSecond))}/s`, eta: eta === null ? '?' : `${eta}s` };
}

/** One plain line: `label: 3/5 files, 1.0 MiB/2.0 MiB (50 %), 4.0 MiB/s, ETA 1s`. */
export function progressLine(label: string, progress: Progress, startedAt: number, now: number): string {
  const percent = progress.bytesTotal > 0 ? Math.floor((100 * progress.bytesDone) / progress.bytesTotal) : 100;
  const { rate, eta } = rateAndEta(progress, startedAt, now);
  return `${label}: ${progress.filesDone}/${progress.filesTotal} files, ${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)} (${percent} %), ${rate}, ETA ${eta}`;
}

/**
 * A bar with bytes, rate and ETA on a terminal; plain lines at most every two seconds (and one at
 * the end) otherwise; nothing with `--json`, whose output is one document.
 */
export function progressDisplay(streams: ProgressStreams, label: string, options: { json: boolean }): ProgressDisplay {
  const startedAt = Date.now();
  let last: Progress | undefined;
  if (options.json) return { update: () => undefined, stop: () => undefined };
  if (streams.stderr.isTTY && streams.env.TERM !== 'dumb') {
    // The bar library loads only when a bar is drawn.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
    const bar = new cliProgress.SingleBar(
      {
        stream: streams.stderr,
        format: `${label} [{bar}] {percentage}% | {size} | {rate} | ETA {etaText} | {files}`,
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const payload = (progress: Progress) => {
      const { rate, eta } = rateAndEta(progress, startedAt, Date.now());
      return {
        size: `${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)}`,
        rate,
        etaText: eta,
        files: `${progress.filesDone}/${progress.filesTotal} files`,
      };
    };
    return {
      update(progress) {
        last = progress;
        if (!started) {
          bar.start(progress.bytesTotal, progress.bytesDone, payload(progress));
          started = true;
        } else bar.update(progress.bytesDone, { ...payload(progress), total: progress.bytesTotal });
        if (bar.getTotal() !== progress.bytesTotal) bar.setTotal(progress.bytesTotal);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let printedAt = startedAt;
  let printed: Progress | undefined;
  const print = (progress: Progress) => {
    printedAt = Date.now();
    printed = progress;
    streams.stderr.write(`${progressLine(label, progress, startedAt, printedAt)}\n`);
  };
  return {
    update(progress) {
      last = progress;
      if (Date.now() - printedAt >= PLAIN_EVERY_MS) print(progress);
    },
    stop() {
      if (last && last !== printed) print(last);
    },
  };
}
