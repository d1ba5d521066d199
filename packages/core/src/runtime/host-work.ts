import type { Logger } from '../contracts/logger.js';
import type { TelemetryAttributes } from '../contracts/telemetry.js';
import { AbortedError } from '../errors/errors.js';
import type { Telemetry } from './telemetry.js';

/**
 * How a piece of host code ended: its value, or what it threw. `aborted` says it was cut short
 * (its signal fired: a deadline, an abort request, or the engine stopping) and `stopped` that the
 * engine stopped, which says nothing about the work itself.
 * @internal
 */
export type HostOutcome<T = unknown> =
  | { ok: true; value: T; aborted?: never; stopped?: never }
  | { ok: false; error: unknown; aborted: boolean; stopped: boolean };

/** What {@link HostWork.peek} knows of a key. @internal */
export type HostTaskState<T = unknown> = { state: 'running' } | { state: 'done'; outcome: HostOutcome<T> };

/** Options of {@link HostWork.start}. @internal */
export interface HostTaskOptions<T> {
  /** Called once when the task ends (or is cut short), before the engine is woken. */
  onSettled?: (outcome: HostOutcome<T>) => void;
  /** Hands the work's claim back when the engine stops during it, so another engine takes it at once. */
  release?: () => Promise<void>;
  /** Whether the claim is still current (its record did not move on); see {@link HostWork.prune}. */
  current?: () => Promise<boolean>;
  /** What the work is, for its span and log lines: `railyard.step`, `railyard.probe`, `railyard.hook`, with ids. */
  describe?: { span: string; attributes: TelemetryAttributes };
}

interface Entry {
  controller: AbortController;
  outcome?: HostOutcome;
  started: boolean;
  run: () => void;
  release: (() => Promise<void>) | undefined;
  current: (() => Promise<boolean>) | undefined;
}

/** How many finished results are kept for passes that never come back for them (a record that moved on). */
const MAX_FINISHED = 1_000;

/**
 * The one place host code (scenario step attempts, activation hooks, probes) runs. A reconcile pass
 * never awaits it: the pass claims the work durably on its record (owner, lease, deadline), starts
 * it here under a key and returns; when the work ends this runner wakes the engine, and a later
 * pass reads the outcome with {@link peek} and commits it by compare-and-swap against the claim,
 * then {@link forget}s it. At most `concurrency` tasks run at once; the others wait their turn.
 * A task whose signal is aborted counts as ended at once, even if its code ignores the signal.
 * @internal
 */
export class HostWork {
  readonly #concurrency: number;
  readonly #entries = new Map<string, Entry>();
  readonly #queue: string[] = [];
  readonly #listeners = new Set<() => void>();
  #running = 0;
  readonly #telemetry: Telemetry | undefined;
  readonly #logger: Logger | undefined;

  constructor(options: { concurrency: number; telemetry?: Telemetry; logger?: Logger }) {
    this.#concurrency = Math.max(1, Math.floor(options.concurrency));
    this.#telemetry = options.telemetry;
    this.#logger = options.logger;
  }

  /** Starts `task` under `key`, unless this process already runs it or holds its outcome. */
  start<T>(key: string, task: (signal: AbortSignal) => T | Promise<T>, options: HostTaskOptions<T> = {}): void {
    if (this.#entries.has(key)) return;
    const controller = new AbortController();
    const { signal } = controller;
    const entry: Entry = {
      controller,
      started: false,
      run: () => undefined,
      release: options.release,
      current: options.current,
    };
    const settle = (outcome: HostOutcome<T>) => {
      if (entry.outcome) return;
      entry.outcome = outcome;
      if (entry.started) this.#running--;
      entry.release = undefined;
      signal.removeEventListener('abort', cut);
      options.onSettled?.(outcome);
      this.#trim();
      this.#next();
      for (const listener of this.#listeners) listener();
    };
    const cut = () => {
      const stopped = signal.reason instanceof EngineStopping;
      settle({ ok: false, error: stopped ? signal.reason.cause : signal.reason, aborted: true, stopped });
    };
    signal.addEventListener('abort', cut, { once: true });
    const describe = options.describe;
    const telemetry = this.#telemetry;
    const call =
      describe && telemetry?.tracing
        ? () => telemetry.span(describe.span, describe.attributes, async () => task(signal))
        : () => task(signal);
    if (describe)
      this.#logger?.info({ work: key, ...describe.attributes }, `host code claimed and started (${describe.span})`);
    entry.run = () => {
      entry.started = true;
      this.#running++;
      Promise.resolve()
        .then(call)
        .then(
          (value) => settle({ ok: true, value }),
          (error: unknown) => (signal.aborted ? cut() : settle({ ok: false, error, aborted: false, stopped: false })),
        );
    };
    this.#entries.set(key, entry);
    this.#queue.push(key);
    this.#next();
  }

  /** Whether `key` is running (or waiting for a slot) here, or its outcome; `undefined` if unknown here. */
  peek<T = unknown>(key: string): HostTaskState<T> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    return entry.outcome ? { state: 'done', outcome: entry.outcome as HostOutcome<T> } : { state: 'running' };
  }

  /** Aborts a running task with `reason` (its late result is ignored); its outcome stays until forgotten. */
  abort(key: string, reason: unknown): void {
    const entry = this.#entries.get(key);
    if (entry && !entry.outcome) entry.controller.abort(reason);
  }

  /** Drops what is known of `key` (its outcome was committed, or the work is no longer wanted), aborting it. */
  forget(key: string, reason: unknown = new AbortedError('the work is no longer wanted')): void {
    this.abort(key, reason);
    this.#entries.delete(key);
    const queued = this.#queue.indexOf(key);
    if (queued >= 0) this.#queue.splice(queued, 1);
  }

  /**
   * Lets go of work whose record moved on without it (a deployment abandoned while its hook runs,
   * a run that ended elsewhere): it is aborted, so that nothing waits for it.
   */
  async prune(): Promise<void> {
    const checks: Array<Promise<void>> = [];
    for (const [key, entry] of this.#entries) {
      const current = entry.current;
      if (entry.outcome || !current) continue;
      checks.push(
        current().then(
          (yes) => {
            if (!yes) this.forget(key, new AbortedError('the work is no longer wanted: its record moved on'));
          },
          () => undefined,
        ),
      );
    }
    await Promise.all(checks);
  }

  /** How many tasks run or wait for a slot. */
  get active(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (!entry.outcome) count++;
    return count;
  }

  /** Calls `listener` whenever a task ends; returns how to stop listening. */
  onSettled(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves when the next task ends (at once when none is active), or when `signal` aborts. */
  async nextSettled(signal?: AbortSignal): Promise<void> {
    if (this.active === 0 || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        off();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const off = this.onSettled(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * The engine stops: every task is aborted (its signal fires with `reason`) and counts as ended at
   * once, whether or not its code listens; claims are handed back. Code that ignores its signal may
   * go on running in the background, and its result is ignored.
   */
  async stop(reason: unknown): Promise<void> {
    const releases: Array<() => Promise<void>> = [];
    for (const entry of this.#entries.values()) {
      if (entry.outcome) continue;
      if (entry.release) releases.push(entry.release);
      entry.controller.abort(new EngineStopping(reason));
    }
    await Promise.allSettled(releases.map((release) => release()));
  }

  #next(): void {
    while (this.#running < this.#concurrency) {
      const key = this.#queue.shift();
      if (key === undefined) return;
      const entry = this.#entries.get(key);
      if (entry && !entry.outcome && !entry.started) entry.run();
    }
  }

  #trim(): void {
    let finished = 0;
    for (const entry of this.#entries.values()) if (entry.outcome) finished++;
    if (finished <= MAX_FINISHED) return;
    for (const [key, entry] of this.#entries) {
      if (finished <= MAX_FINISHED) break;
      if (!entry.outcome) continue;
      this.#entries.delete(key);
      finished--;
    }
  }
}

/** The reason a task's signal carries when the engine stops (the host sees the stop reason as `cause`). */
class EngineStopping extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : 'the engine stopped', { cause: reason });
  }
}
