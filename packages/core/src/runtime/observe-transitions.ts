import type { RailyardEventName, RailyardEvents } from '../contracts/events.js';
import type { TelemetryAttributes } from '../contracts/telemetry.js';
import type { DeploymentTransition } from '../machines/deployment-transition.js';
import type { Telemetry } from './telemetry.js';

const seconds = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from)) / 1000;

/** The span attributes naming a deployment: its id, environment and bundle. @internal */
export function deploymentAttributes(transition: DeploymentTransition): TelemetryAttributes {
  const { deployment } = transition;
  return {
    'railyard.deployment.id': deployment.id,
    'railyard.environment': deployment.environment,
    'railyard.bundle.id': deployment.bundleId,
    'railyard.transition.from': transition.from,
    'railyard.transition.to': transition.to,
    'railyard.transition.event': transition.event,
  };
}

/**
 * Records the metrics of one committed event: a deployment transition (count, time spent in the
 * state it left, verification time, rollbacks) or a scenario run's end (its duration).
 * @internal
 */
export function observeEvent<TName extends RailyardEventName>(
  telemetry: Telemetry,
  name: TName,
  payload: Parameters<RailyardEvents[TName]>[0],
): void {
  if (name === 'deployment.transition') {
    const t = payload as DeploymentTransition;
    const environment = t.deployment.environment;
    const attributes = { environment, from: t.from, to: t.to };
    telemetry.add('transitions', 1, attributes);
    const spent = seconds(t.since, t.deployment.updatedAt);
    telemetry.record('transitionDuration', spent, attributes);
    if (t.from === 'verifying') telemetry.record('verificationDuration', spent, { environment, outcome: t.to });
    if (t.deployment.kind === 'rollback' && t.from === 'requested')
      telemetry.add('rollbacks', 1, { environment, trigger: t.deployment.automatic ? 'automatic' : 'manual' });
  } else if (name === 'scenario.run') {
    const { run, to } = payload as Parameters<RailyardEvents['scenario.run']>[0];
    if ('finishedAt' in run && 'startedAt' in run && run.startedAt && run.finishedAt)
      telemetry.record('scenarioDuration', seconds(run.startedAt, run.finishedAt), {
        scenario: run.scenario,
        outcome: to,
        verification: run.deploymentId !== undefined,
      });
  }
}
