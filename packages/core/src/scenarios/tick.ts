import { isRailyardError } from '../errors/errors.js';
import type { ScenarioRecord } from '../model/scenario.js';
import type { Read } from '../runtime/read.js';
import type { StepResult } from '../runtime/step-result.js';
import { claimNext } from './claim.js';
import { advanceRun } from './executor.js';
import { fireJournalTriggers } from './journal-triggers.js';
import { fireLaneTriggers } from './lane-triggers.js';
import type { ScenarioRuntime } from './runtime.js';
import { readLane } from './store.js';
import { tickVerificationRuns } from './verification-runs.js';

/**
 * One pass of the scenario engine: journal-driven triggers first (one batch), then every scenario
 * in parallel: its running runs advanced as far as they go now, its clock-driven triggers, then
 * claims of queued runs its policy has room for (advanced at once); beside them, the verification
 * runs of every environment (see {@link tickVerificationRuns}). A version conflict means
 * another engine moved first: that counts as progress. Other failures are reported after every
 * scenario had its turn.
 * @internal
 */
export async function tickScenarioEngine(rt: ScenarioRuntime, signal: AbortSignal): Promise<StepResult> {
  const scenarios = await rt.cache.list(rt.context);
  const results: PromiseSettledResult<StepResult>[] = [];
  if (scenarios.length > 0) results.push(...(await Promise.allSettled([fireJournalTriggers(rt, scenarios)])));
  results.push(
    ...(await Promise.allSettled([
      tickVerificationRuns(rt, signal),
      ...scenarios.map((scenario) => tickScenario(rt, scenario, signal)),
    ])),
  );
  let progressed = false;
  let nextAt = Number.POSITIVE_INFINITY;
  let failure: unknown;
  for (const result of results) {
    if (result.status === 'fulfilled') {
      progressed ||= result.value.progressed;
      nextAt = Math.min(nextAt, result.value.nextAt ?? Number.POSITIVE_INFINITY);
    } else if (isRailyardError(result.reason, 'VERSION_CONFLICT')) progressed = true;
    else failure ??= result.reason;
  }
  if (failure !== undefined) throw failure;
  return { progressed, ...(Number.isFinite(nextAt) ? { nextAt } : {}) };
}

async function tickScenario(
  rt: ScenarioRuntime,
  scenario: Read<ScenarioRecord>,
  signal: AbortSignal,
): Promise<StepResult> {
  // Runs already under way go first, so that a run ending now frees its slot for a trigger firing now.
  const lane = await readLane(rt.context, scenario.value.definition.id);
  const before = await Promise.all((lane?.value.running ?? []).map((id) => advanceRun(rt, id, signal)));
  const triggers = await fireLaneTriggers(rt, scenario, signal);
  const claimed: string[] = [];
  for (;;) {
    const id = signal.aborted ? undefined : await claimNext(rt, scenario.value);
    if (id === undefined) break;
    claimed.push(id);
  }
  const after = await Promise.all(claimed.map((id) => advanceRun(rt, id, signal)));
  let progressed = triggers.progressed || claimed.length > 0;
  let nextAt = triggers.nextAt ?? Number.POSITIVE_INFINITY;
  for (const run of [...before, ...after]) {
    progressed ||= run.progressed;
    nextAt = Math.min(nextAt, run.nextAt ?? Number.POSITIVE_INFINITY);
  }
  return { progressed, ...(Number.isFinite(nextAt) ? { nextAt } : {}) };
}
