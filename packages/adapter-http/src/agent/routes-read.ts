import type { PlanInput } from '@railyard/core';
import { NotFoundError } from '@railyard/core/errors';
import { malformed } from '../errors.js';
import { allowEnvironment, environmentParam, type Route, type RouteContext, seesEnvironment } from './context.js';
import { eventStream } from './event-stream.js';
import { json } from './exchange.js';

/**
 * What `?deployment=<id>` or `?bundle=<digest>&to=<environment>` names, after checking the key may
 * use its environment (a plan of a new promotion is made for the key's actor).
 * @internal
 */
export async function planInput(context: RouteContext, where: string): Promise<PlanInput> {
  const { query, agent } = context;
  const deploymentId = query.get('deployment');
  if (deploymentId) {
    const deployment = await agent.railyard.deployments.get(deploymentId);
    if (!deployment) throw new NotFoundError('deployment', deploymentId, 'Check the id returned by the promotion.');
    allowEnvironment(context, deployment.environment);
    return { deployment: deploymentId };
  }
  const bundle = query.get('bundle');
  const to = query.get('to');
  if (!bundle || !to) throw malformed(`${where} needs ?deployment=<id>, or ?bundle=<digest>&to=<environment>.`);
  allowEnvironment(context, to);
  return { bundle, to, by: context.key.actor };
}

/** Deployments, environments, history, plans and the event stream. @internal */
export const readRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/deployments/:id',
    action: 'read',
    async handle(context) {
      const id = context.params[0] ?? '';
      const deployment = await context.agent.railyard.deployments.get(id);
      if (!deployment) throw new NotFoundError('deployment', id);
      allowEnvironment(context, deployment.environment);
      return json(200, deployment);
    },
  },
  {
    method: 'GET',
    path: '/v1/environments',
    action: 'read',
    async handle(context) {
      const all = await context.agent.railyard.environments.list();
      return json(
        200,
        all.filter((environment) => seesEnvironment(context.key, environment.definition.id)),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/environments/:environment/deployments',
    action: 'read',
    async handle(context) {
      const environment = environmentParam(context);
      const limit = context.query.get('limit');
      if (limit !== null && !/^[0-9]{1,5}$/.test(limit)) throw malformed('"limit" must be a whole number.');
      const history = await context.agent.railyard.deployments.history(
        environment,
        limit ? { limit: Number(limit) } : {},
      );
      return json(200, history);
    },
  },
  {
    method: 'GET',
    path: '/v1/plan',
    action: 'read',
    async handle(context) {
      return json(200, await context.agent.railyard.deployments.plan(await planInput(context, 'GET /v1/plan')));
    },
  },
  {
    method: 'GET',
    path: '/v1/events',
    action: 'read',
    async handle(context) {
      // A reconnecting client sends both the URL it started with and the last id it saw.
      let after = 0;
      for (const raw of [context.query.get('after'), context.request.header('last-event-id')]) {
        if (raw === null) continue;
        if (!/^[0-9]{1,15}$/.test(raw.trim()))
          throw malformed('"after" (and Last-Event-ID) must be a journal sequence number.');
        after = Math.max(after, Number(raw.trim()));
      }
      return eventStream(context, after);
    },
  },
];
