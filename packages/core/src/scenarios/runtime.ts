import { randomBytes } from 'node:crypto';
import type { ScenarioPoll } from '../contracts/polls.js';
import type { StepRegistry } from '../contracts/steps.js';
import { isRailyardError } from '../errors/errors.js';
import type { ScenarioRunEffect } from '../machines/scenario-transitions.js';
import type { EnvironmentHealth } from '../model/health.js';
import type { ScenarioLane } from '../model/scenario-run.js';
import type { EngineContext } from '../runtime/context.js';
import { KIND } from '../runtime/records.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';
import type { ScenarioCondition } from './conditions.js';
import { readLane, type ScenarioCache } from './store.js';

/**
 * What the scenario engine's parts share: the engine context, the host's registries, parsed
 * definitions, and the runs this process is executing right now (to abort them at once).
 * @internal
 */
export interface ScenarioRuntime {
  readonly context: EngineContext;
  /** The engine context's step registry (one for every run). */
  readonly steps: StepRegistry;
  readonly conditions: Map<string, ScenarioCondition>;
  readonly polls: Map<string, ScenarioPoll>;
  readonly cache: ScenarioCache;
  /** Runs with an attempt running in this process, by id, with the controller that aborts it. */
  readonly executing: Map<string, AbortController>;
  /** Runs a pass of this process is advancing right now (one pass per run at a time). */
  readonly advancing: Set<string>;
  /** An environment's health rollup (for `railyard/check-monitors`), given by the composition root. */
  readonly health: (environment: string) => Promise<EnvironmentHealth>;
  /** A new run id that sorts by time. */
  newRunId(): string;
}

const runtimes = new WeakMap<EngineContext, ScenarioRuntime>();

/** Makes a scenario runtime the one of its engine context. @internal */
export function registerRuntime(rt: ScenarioRuntime): void {
  runtimes.set(rt.context, rt);
}

/** The scenario runtime of an engine context, if it has one. @internal */
export function runtimeOf(context: EngineContext): ScenarioRuntime | undefined {
  return runtimes.get(context);
}

let sequence = 0;

/**
 * A run id that sorts by the time it was queued: `20260302T090000000Z-` then a per-process
 * counter and random hex (runs queued in one millisecond stay in order within a process).
 * @internal
 */
export function timeSortableId(at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  sequence = (sequence + 1) % 36 ** 4;
  return `${stamp}-${sequence.toString(36).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
}

/** Adds a run transition's effects to a unit of work, writing the run at `expectedVersion`. @internal */
export function applyRunEffects(
  work: UnitOfWork,
  effects: readonly ScenarioRunEffect[],
  expectedVersion: number | null,
): void {
  for (const effect of effects) {
    if (effect.type === 'persist') work.put(KIND.scenarioRun, effect.id, expectedVersion, effect.value);
    else if (effect.type === 'journal') work.journal(effect.draft);
    else work.emit(effect.name, effect.payload);
  }
}

/**
 * Reads a scenario's lane, lets `change` edit a copy and add writes to a unit of work, and commits
 * both (the lane by compare-and-swap). On a version conflict it starts again from a fresh read,
 * a few times. Returns `change`'s answer, or `undefined` when it changed nothing.
 * @internal
 */
export async function withLane<T>(
  rt: ScenarioRuntime,
  scenario: string,
  change: (lane: ScenarioLane, work: UnitOfWork) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    const read = await readLane(rt.context, scenario);
    if (!read) return undefined;
    const lane = structuredClone(read.value);
    const work = new UnitOfWork(rt.context);
    const result = await change(lane, work);
    if (result === undefined) return undefined;
    work.put(KIND.scenarioLane, scenario, read.version, lane);
    try {
      await work.commit();
      return result;
    } catch (error) {
      if (!isRailyardError(error, 'VERSION_CONFLICT') || attempt >= 5) throw error;
    }
  }
}
