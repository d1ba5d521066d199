import { NotFoundError, ValidationError } from '@railyard/core/errors';
import {
  actorFor,
  allowEnvironment,
  environmentParam,
  fields,
  optional,
  type Route,
  type RouteContext,
} from './context.js';
import { json } from './exchange.js';
import { readJson } from './routes-push.js';

/** The deployment a command names, after checking the key may act on its environment. @internal */
export async function deploymentFor(context: RouteContext): Promise<string> {
  const id = context.params[0] ?? '';
  const deployment = await context.agent.railyard.deployments.get(id);
  if (!deployment) throw new NotFoundError('deployment', id, 'Check the id returned by the promotion.');
  allowEnvironment(context, deployment.environment);
  return id;
}

/**
 * Promotions (idempotent by the body's `idempotencyKey`, kept by the engine itself), and the
 * commands approvals, rejections and rollbacks (idempotent by the `Idempotency-Key` header).
 * @internal
 */
export const commandRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/promotions',
    action: 'promote',
    async handle(context) {
      const body = fields(
        await readJson(context),
        ['bundleId', 'to', 'by', 'reason', 'idempotencyKey'],
        'POST /v1/promotions',
      );
      if (typeof body.to !== 'string')
        throw new ValidationError('POST /v1/promotions: "to" must be an environment id.');
      if (typeof body.idempotencyKey !== 'string' || body.idempotencyKey.length === 0)
        throw new ValidationError(
          'POST /v1/promotions: "idempotencyKey" is required, so that a retried request never promotes twice.',
        );
      allowEnvironment(context, body.to);
      const deployment = await context.agent.railyard.site.promote({
        bundle: body.bundleId as string,
        to: body.to,
        by: actorFor(context.key, body.by),
        reason: optional<string>(body.reason),
        idempotencyKey: body.idempotencyKey,
      });
      return json(200, deployment);
    },
  },
  {
    method: 'POST',
    path: '/v1/deployments/:id/approvals',
    action: 'approve',
    command: true,
    async handle(context) {
      const id = await deploymentFor(context);
      const body = fields(await readJson(context), ['by', 'comment', 'bundle'], 'POST approvals');
      const deployment = await context.agent.railyard.deployments.approve(id, {
        by: actorFor(context.key, body.by),
        comment: optional<string>(body.comment),
        bundle: optional<string>(body.bundle),
      });
      return json(200, deployment);
    },
  },
  {
    method: 'POST',
    path: '/v1/deployments/:id/rejections',
    action: 'approve',
    command: true,
    async handle(context) {
      const id = await deploymentFor(context);
      const body = fields(await readJson(context), ['by', 'comment', 'reason'], 'POST rejections');
      const deployment = await context.agent.railyard.deployments.reject(id, {
        by: actorFor(context.key, body.by),
        comment: optional<string>(body.comment),
        reason: optional<string>(body.reason),
      });
      return json(200, deployment);
    },
  },
  {
    method: 'POST',
    path: '/v1/environments/:environment/rollback',
    action: 'rollback',
    command: true,
    async handle(context) {
      const environment = environmentParam(context);
      const body = fields(await readJson(context), ['by', 'reason', 'to'], 'POST rollback');
      const deployment = await context.agent.railyard.deployments.rollback(environment, {
        by: actorFor(context.key, body.by),
        reason: body.reason as string,
        to: optional<string>(body.to),
      });
      return json(200, deployment);
    },
  },
];
