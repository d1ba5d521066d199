import { reconcileEnvironment } from '../deployments/reconciler.js';
import { AbortedError, SettleLimitError } from '../errors/errors.js';
import { EnvironmentRecord } from '../model/environment.js';
import type { EngineContext } from '../runtime/context.js';
import { KIND, listAll } from '../runtime/records.js';
import { tickScenarios } from '../scenarios/service.js';
import type { CheckpointExporter } from './checkpoints.js';

/** The signal of work nobody will abort (`tick` and `settle` called directly). */
const NEVER = new AbortController().signal;
/** The reason settle's wait is cut short (a reason of our own: no DOMException per wait). */
const WOKEN = new AbortedError('woken');
/** How long a running worker's claim on an environment lasts; every pass renews it. */
const CLAIM_LEASE_MS = 15_000;

/** What one pass over every environment achieved. @internal */
export interface TickResult {
  /** Whether anything was committed (look again at once). */
  progressed: boolean;
  /** Epoch ms at which timed work next falls due, if any. */
  nextAt?: number;
}

/**
 * Drives environments forward: `tick` advances each environment by one step (in parallel across
 * environments), `settle` ticks until nothing can progress at the current time, and `start` runs
 * a loop that sleeps on the clock until work is due, the store reports a commit, or host code
 * ends. No pass awaits host code: passes claim it and hand it to the engine's runner
 * (`runtime/host-work.ts`), and a later pass commits what it returned.
 * @internal
 */
export class Worker {
  #running: Promise<void> | undefined;
  #stop: AbortController | undefined;
  #wake: (() => void) | undefined;
  /** Set when the store reported a commit while the worker was busy, so it does not sleep through it. */
  #dirty = false;
  readonly #idleMs: number;
  /** The environments this worker held at its last claim, to log only changes. */
  #held = '';

  readonly #checkpoints: CheckpointExporter | undefined;

  constructor(
    private readonly context: EngineContext,
    options: { idleMs: number; checkpoints?: CheckpointExporter | undefined },
  ) {
    this.#idleMs = options.idleMs;
    this.#checkpoints = options.checkpoints;
  }

  /**
   * With `claim` (the background loop) and a store that can `claim`, only the environments this
   * engine holds a lease on are advanced, so that several workers share the environments instead
   * of all racing on each. `tick` and `settle` called directly advance every environment.
   */
  tick(signal: AbortSignal = NEVER, options: { claim?: boolean } = {}): Promise<TickResult> {
    const { telemetry } = this.context;
    return telemetry.tracing
      ? telemetry.span('railyard.tick', {}, () => this.#tick(signal, options))
      : this.#tick(signal, options);
  }

  async #tick(signal: AbortSignal, options: { claim?: boolean }): Promise<TickResult> {
    // The listing's versions serve each step's compare-and-swap: a stale one just conflicts.
    let environments = await listAll(this.context, KIND.environment, EnvironmentRecord);
    if (options.claim && this.context.store.claim) {
      const claimed = await this.context.store.claim(this.#claimRequest(10_000));
      this.#logClaims(claimed);
      const mine = new Set(claimed);
      environments = environments.filter((env) => mine.has(env.value.definition.id));
    }
    const results = await Promise.allSettled(environments.map((env) => reconcileEnvironment(this.context, env)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const done = results.map((r) => (r as PromiseFulfilledResult<TickResult>).value);
    // Scenario runs are claimed per run (compare-and-swap and a lease), so every worker may tick them.
    done.push(await tickScenarios(this.context, signal));
    if (this.#checkpoints) done.push({ progressed: false, nextAt: await this.#exportCheckpoint(this.#checkpoints) });
    const nextAt = Math.min(...done.map((r) => r.nextAt ?? Number.POSITIVE_INFINITY));
    return { progressed: done.some((r) => r.progressed), ...(Number.isFinite(nextAt) ? { nextAt } : {}) };
  }

  async settle(options: { maxSteps?: number; waitForHostCode?: boolean } = {}): Promise<void> {
    const maxSteps = options.maxSteps ?? 10_000;
    const { host, clock } = this.context;
    for (let i = 0; i < maxSteps; i++) {
      const result = await this.tick();
      if (result.progressed) continue;
      if (options.waitForHostCode === false) return;
      await host.prune();
      if (host.active === 0) return;
      // Host code is running: wait for one piece to end, or for the clock to reach the next
      // deadline (a test moving the clock times it out); never for the clock alone.
      const due = result.nextAt === undefined ? undefined : result.nextAt - clock.now().getTime();
      if (due !== undefined && due <= 0) continue; // the clock moved on during the pass: look again
      const woken = new AbortController();
      await Promise.race([
        host.nextSettled(woken.signal),
        due === undefined ? new Promise<never>(() => undefined) : clock.sleep(due, woken.signal).catch(() => undefined),
      ]);
      woken.abort(WOKEN);
    }
    throw new SettleLimitError(maxSteps);
  }

  /** A failed export never stops the engine: it is reported and tried again on the next pass. */
  async #exportCheckpoint(exporter: CheckpointExporter): Promise<number> {
    try {
      return await exporter.exportIfDue();
    } catch (error) {
      this.context.events.emit('error', error);
      return exporter.nextAt;
    }
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  start(): void {
    if (this.#running) return;
    const stop = new AbortController();
    this.#stop = stop;
    const wake = () => {
      this.#dirty = true;
      this.#wake?.();
    };
    const unwatch = this.context.store.watch?.(wake);
    const unlisten = this.context.host.onSettled(wake);
    this.context.logger.info(
      { engineId: this.context.engineId, idleMs: this.#idleMs, claims: Boolean(this.context.store.claim) },
      'railyard worker started',
    );
    this.#running = this.#loop(stop.signal).finally(() => {
      unwatch?.();
      unlisten();
    });
  }

  async stop(): Promise<void> {
    const reason = new AbortedError('the worker stopped');
    this.#stop?.abort(reason);
    this.#wake?.();
    const wasRunning = this.#running !== undefined;
    await this.#running;
    // Host code (the loop's, or left running by settle({ waitForHostCode: false })) is cut short and its
    // claims handed back; code that ignores its signal is not waited for.
    if (wasRunning || this.context.host.active > 0) await this.context.host.stop(reason);
    this.#running = undefined;
    // Hand the environments back at once rather than when the leases expire.
    if (wasRunning && this.context.store.claim) {
      await this.context.store
        .claim(this.#claimRequest(0))
        .catch((error: unknown) => this.context.events.emit('error', error));
      this.#logClaims([]);
    }
    if (wasRunning) this.context.logger.info({ engineId: this.context.engineId }, 'railyard worker stopped');
  }

  #logClaims(claimed: string[]): void {
    const held = [...claimed].sort().join(',');
    if (held === this.#held) return;
    this.#held = held;
    this.context.logger.info(
      { engineId: this.context.engineId, environments: claimed },
      claimed.length === 0 ? 'worker holds no environment' : `worker claimed ${claimed.length} environment(s)`,
    );
  }

  #claimRequest(limit: number) {
    const leaseMs = Math.max(CLAIM_LEASE_MS, this.#idleMs * 3);
    return { kind: KIND.environment, owner: this.context.engineId, leaseMs, limit };
  }

  async #loop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let wait = this.#idleMs;
      this.#dirty = false;
      try {
        const result = await this.tick(signal, { claim: true });
        failures = 0;
        if (result.progressed) continue;
        await this.context.host.prune();
        if (result.nextAt !== undefined)
          wait = Math.max(0, Math.min(wait, result.nextAt - this.context.clock.now().getTime()));
      } catch (error) {
        this.context.events.emit('error', error);
        wait = Math.min(this.#idleMs * 2 ** failures++, 60_000);
      }
      if (!this.#dirty) await this.#sleep(wait, signal);
    }
  }

  /** Sleeps on the clock until `ms` pass, a commit is reported, or the worker stops. */
  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    // stop() during the pass aborted the signal already: its abort event will not fire again.
    if (signal.aborted) return;
    const interrupt = new AbortController();
    const onStop = () => interrupt.abort();
    signal.addEventListener('abort', onStop, { once: true });
    this.#wake = () => interrupt.abort();
    try {
      await this.context.clock.sleep(ms, interrupt.signal);
    } catch {
      // woken early: look again
    } finally {
      this.#wake = undefined;
      signal.removeEventListener('abort', onStop);
    }
  }
}
