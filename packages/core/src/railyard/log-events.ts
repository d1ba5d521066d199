import type { RailyardEmitter } from '../contracts/events.js';
import type { Logger } from '../contracts/logger.js';

/**
 * Logs every committed lifecycle event an operator needs to follow: deployment transitions,
 * environment status changes and scenario runs at info, step retries and failures at warn,
 * background failures at error. Only ids, states, actors and reasons are logged: never a
 * deployment's snapshot (its variables), a step's params or a payload.
 * @internal
 */
export function logEvents(events: RailyardEmitter, logger: Logger): void {
  events.on('deployment.transition', ({ deployment, from, to, event, actor, reason }) =>
    logger.info(
      {
        deploymentId: deployment.id,
        environment: deployment.environment,
        bundleId: deployment.bundleId,
        version: deployment.version,
        kind: deployment.kind,
        from,
        to,
        event,
        actor: actor.id,
        ...(reason === undefined ? {} : { reason }),
      },
      `deployment ${deployment.id} ${from} → ${to}`,
    ),
  );
  events.on('environment.status', ({ environment, from, to, reason }) =>
    (to === 'ready' ? logger.info : logger.warn).call(
      logger,
      { environment, from, to, ...(reason === undefined ? {} : { reason }) },
      `environment ${environment} ${from} → ${to}`,
    ),
  );
  events.on('scenario.run', ({ run, from, to, actor, reason }) =>
    logger.info(
      {
        runId: run.id,
        scenario: run.scenario,
        ...(run.environment ? { environment: run.environment } : {}),
        ...(run.deploymentId ? { deploymentId: run.deploymentId } : {}),
        from,
        to,
        actor: actor.id,
        ...(reason === undefined ? {} : { reason }),
      },
      `scenario run ${run.id} (${run.scenario}) ${from ?? 'new'} → ${to}`,
    ),
  );
  events.on('scenario.step', ({ runId, scenario, step, from, to }) => {
    const failing = to === 'retrying' || to === 'failed';
    const error = 'error' in step && step.error ? { code: step.error.code, message: step.error.message } : undefined;
    (failing ? logger.warn : logger.debug).call(
      logger,
      { runId, scenario, step: step.key, type: step.type, from, to, ...(error ? { error } : {}) },
      `scenario run ${runId} step ${step.key} ${from} → ${to}`,
    );
  });
  events.on('error', (error) => logger.error({ err: error }, 'a listener, notifier or background task failed'));
}
