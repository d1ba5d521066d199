import { ValidationError } from '@railyard/core/errors';
import { actorFor, environmentParam, fields, optional, type Route, type RouteContext } from './context.js';
import { json } from './exchange.js';
import { deploymentFor } from './routes-commands.js';
import { readJson } from './routes-push.js';

/** A silence's end: `until` as given, or `durationMs` from now on the agent's clock. */
function silenceUntil(context: RouteContext, body: Record<string, unknown>): string {
  const { until, durationMs } = body;
  if ((until === undefined) === (durationMs === undefined))
    throw new ValidationError(
      'POST silences: give either "until" (an ISO 8601 time) or "durationMs" (milliseconds from now, on the agent’s clock).',
    );
  if (until !== undefined) return until as string;
  if (typeof durationMs !== 'number' || !Number.isSafeInteger(durationMs) || durationMs <= 0)
    throw new ValidationError('POST silences: "durationMs" must be a positive whole number of milliseconds.');
  return new Date(context.agent.options.clock.now().getTime() + durationMs).toISOString();
}

/**
 * Operators' commands: cancel and abandon a deployment, resume a halted environment, silence a
 * monitor and end its silence. Each is idempotent by the `Idempotency-Key` header, like approvals.
 * @internal
 */
export const operateRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/deployments/:id/cancel',
    action: 'cancel',
    command: true,
    async handle(context) {
      const id = await deploymentFor(context);
      const body = fields(await readJson(context), ['by', 'comment', 'reason'], 'POST cancel');
      const deployment = await context.agent.railyard.deployments.cancel(id, {
        by: actorFor(context.key, body.by),
        comment: optional<string>(body.comment),
        reason: optional<string>(body.reason),
      });
      return json(200, deployment);
    },
  },
  {
    method: 'POST',
    path: '/v1/deployments/:id/abandon',
    action: 'abandon',
    command: true,
    async handle(context) {
      const id = await deploymentFor(context);
      const body = fields(await readJson(context), ['by', 'comment', 'reason'], 'POST abandon');
      const deployment = await context.agent.railyard.deployments.abandon(id, {
        by: actorFor(context.key, body.by),
        comment: optional<string>(body.comment),
        reason: optional<string>(body.reason),
      });
      return json(200, deployment);
    },
  },
  {
    method: 'POST',
    path: '/v1/environments/:environment/resume',
    action: 'resume',
    command: true,
    async handle(context) {
      const environment = environmentParam(context);
      const body = fields(await readJson(context), ['by', 'reason'], 'POST resume');
      const record = await context.agent.railyard.environments.resume(environment, {
        by: actorFor(context.key, body.by),
        reason: optional<string>(body.reason),
      });
      return json(200, record);
    },
  },
  {
    method: 'POST',
    path: '/v1/environments/:environment/silences',
    action: 'silence',
    command: true,
    async handle(context) {
      const environment = environmentParam(context);
      const body = fields(await readJson(context), ['monitor', 'until', 'durationMs', 'reason', 'by'], 'POST silences');
      const silence = await context.agent.railyard.monitors.silence({
        environment,
        monitor: body.monitor as string,
        until: silenceUntil(context, body),
        reason: body.reason as string,
        by: actorFor(context.key, body.by),
      });
      return json(200, silence);
    },
  },
  {
    method: 'POST',
    path: '/v1/environments/:environment/silences/:monitor/end',
    action: 'silence',
    command: true,
    async handle(context) {
      const environment = environmentParam(context);
      const body = fields(await readJson(context), ['by', 'reason'], 'POST silences/:monitor/end');
      const silence = await context.agent.railyard.monitors.unsilence({
        environment,
        monitor: context.params[1] ?? '',
        reason: optional<string>(body.reason),
        by: actorFor(context.key, body.by),
      });
      return json(200, silence);
    },
  },
];
