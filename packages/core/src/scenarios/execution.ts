import { isRailyardError } from '../errors/errors.js';
import type { ScenarioStepTransition } from '../machines/scenario-transitions.js';
import type { Scenario } from '../model/scenario.js';
import type { ScenarioRunIn, StepReport } from '../model/scenario-run.js';
import type { Read } from '../runtime/read.js';
import { KIND } from '../runtime/records.js';
import type { StepResult } from '../runtime/step-result.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import type { ScenarioRuntime } from './runtime.js';
import { readRun } from './store.js';

/** The run was taken over by another engine, or ended elsewhere: this engine lets it go. @internal */
export class LostRunError extends Error {
  constructor(runId: string) {
    super(`scenario run ${runId} is no longer this engine's to run`);
  }
}

/**
 * One engine's hold on a running run while it advances it: the run as this engine last wrote it,
 * the version to write it back at, and step transitions not yet committed. `flush` commits by
 * compare-and-swap; the only change another writer may make to a run this engine holds is an
 * abort request, which `flush` merges and retries with.
 * @internal
 */
export class Execution {
  run: ScenarioRunIn<'running'>;
  version: number;
  /** Whether this pass committed anything. */
  progressed = false;
  /** Runs to ask to abort once this pass is over (children of steps that gave up on them), with why. */
  readonly toAbort = new Map<string, string>();
  #dirty = false;
  #steps: ScenarioStepTransition[] = [];

  constructor(
    readonly rt: ScenarioRuntime,
    read: Read<ScenarioRunIn<'running'>>,
    /** The scenario revision the run executes. */
    readonly definition: Scenario,
    /** Aborted by `abort(runId)` or when the engine stops. */
    readonly runSignal: AbortSignal,
    /** Aborted when the engine stops. */
    readonly stopSignal: AbortSignal,
  ) {
    this.run = read.value;
    this.version = read.version;
  }

  now(): string {
    return this.rt.context.clock.now().toISOString();
  }

  /** Replaces a step's report, recording the transition for the `scenario.step` event. */
  setStep(index: number, next: StepReport): void {
    const previous = this.run.steps[index];
    const steps = this.run.steps.slice();
    steps[index] = next;
    this.run = { ...this.run, steps, updatedAt: this.now() };
    if (previous && previous.status !== next.status)
      this.#steps.push({
        runId: this.run.id,
        scenario: this.run.scenario,
        step: next,
        from: previous.status,
        to: next.status,
      });
    this.#dirty = true;
  }

  /** Changes other fields of the run. */
  patch(fields: Partial<ScenarioRunIn<'running'>>): void {
    this.run = { ...this.run, ...fields, updatedAt: this.now() };
    this.#dirty = true;
  }

  /** Renews the lease: for `leaseMs`, plus `extraMs` (an attempt's timeout) so that it outlives the attempt. */
  renewLease(extraMs = 0): void {
    const until = this.rt.context.clock.now().getTime() + this.rt.context.leaseMs + extraMs;
    this.patch({ owner: this.rt.context.engineId, leaseUntil: new Date(until).toISOString() });
  }

  /** Takes the step transitions not yet committed (the caller emits them). */
  takeSteps(): ScenarioStepTransition[] {
    const steps = this.#steps;
    this.#steps = [];
    return steps;
  }

  /** Moves the step transitions not yet committed into a unit of work. */
  drainSteps(work: UnitOfWork): void {
    for (const step of this.#steps) work.emit('scenario.step', step);
    this.#steps = [];
  }

  /**
   * Commits the run if anything changed. A conflict with an abort request merges it and tries
   * again; any other change to the run means another engine holds it now ({@link LostRunError}).
   */
  async flush(): Promise<void> {
    if (!this.#dirty) return;
    for (;;) {
      const work = new UnitOfWork(this.rt.context);
      work.put(KIND.scenarioRun, this.run.id, this.version, this.run);
      const steps = this.#steps;
      this.drainSteps(work);
      try {
        const { versions } = await work.commit();
        this.version = versions[0] as number;
        this.#dirty = false;
        this.progressed = true;
        return;
      } catch (error) {
        this.#steps = steps;
        if (!isRailyardError(error, 'VERSION_CONFLICT')) throw error;
        await this.#merge();
      }
    }
  }

  /** Picks up an abort request written since this engine's last commit. */
  async sync(): Promise<void> {
    await this.flush();
    const fresh = await this.rt.context.store.get(KIND.scenarioRun, this.run.id);
    if (fresh?.version !== this.version) await this.#merge();
  }

  async #merge(): Promise<void> {
    const fresh = await readRun(this.rt.context, this.run.id);
    const value = fresh?.value;
    if (!fresh || value?.status !== 'running' || value.owner !== this.rt.context.engineId)
      throw new LostRunError(this.run.id);
    if (!value.abortRequested || this.run.abortRequested) throw new LostRunError(this.run.id);
    this.run = { ...this.run, abortRequested: value.abortRequested };
    this.version = fresh.version;
  }

  /** Commits, then reports when to look again: at `at`, or at the run's deadline if sooner. */
  async waitUntil(at?: number): Promise<StepResult> {
    await this.flush();
    const deadline = Date.parse(this.run.deadlineAt);
    return { progressed: this.progressed, nextAt: Math.min(at ?? deadline, deadline) };
  }
}
