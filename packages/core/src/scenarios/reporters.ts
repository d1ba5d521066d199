import type { ScenarioReport } from '../contracts/events.js';
import type { Scenario } from '../model/scenario.js';
import type { ScenarioRun } from '../model/scenario-run.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';

const DEFAULT_MESSAGE = {
  start: 'Scenario {scenario}: run {run} started ({trigger}).',
  end: 'Scenario {scenario}: run {run} ended {outcome}{reason}.',
} as const;

/**
 * The reports a run owes when it starts or ends: one per reporter of its definition whose phase
 * matches and, at the end, whose `when` includes the outcome.
 *
 * @example
 * ```ts
 * reportsFor(finishedRun, (await railyard.scenarios.get(finishedRun.scenario))!.definition, 'end').map((r) => r.message);
 * ```
 */
export function reportsFor(run: ScenarioRun, definition: Scenario, phase: 'start' | 'end'): ScenarioReport[] {
  const outcome = phase === 'end' && run.status !== 'queued' && run.status !== 'running' ? run.status : undefined;
  return definition.reporters.flatMap((reporter, index) => {
    if (reporter.on !== phase) return [];
    if (phase === 'end' && reporter.when && (!outcome || !reporter.when.includes(outcome))) return [];
    const reason = 'reason' in run && typeof run.reason === 'string' ? run.reason : '';
    const values: Record<string, string> = {
      scenario: run.scenario,
      run: run.id,
      outcome: outcome ?? '',
      trigger: run.trigger.kind,
      reason: reason ? `: ${reason}` : '',
      environment: run.environment ?? '',
    };
    const template = reporter.message ?? DEFAULT_MESSAGE[phase];
    const message = template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
    return [
      {
        reporter: reporter.id ?? `r${index}`,
        ...(reporter.channel === undefined ? {} : { channel: reporter.channel }),
        phase,
        scenario: run.scenario,
        runId: run.id,
        ...(outcome === undefined ? {} : { outcome }),
        message,
        ...(run.environment === undefined ? {} : { environment: run.environment }),
        ...(run.deploymentId === undefined ? {} : { deploymentId: run.deploymentId }),
      },
    ];
  });
}

/** Adds a run's reports for a phase to a unit of work (emitted after it commits). @internal */
export function emitReports(work: UnitOfWork, run: ScenarioRun, definition: Scenario, phase: 'start' | 'end'): void {
  for (const report of reportsFor(run, definition, phase)) work.emit('scenario.report', report);
}
