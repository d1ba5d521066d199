import type { JournalEntry } from '@railyard/core';
import { NotFoundError } from '@railyard/core/errors';
import { malformed } from '../errors.js';
import { allowEnvironment, environmentParam, type Route, type RouteContext, seesEnvironment } from './context.js';
import { json } from './exchange.js';
import { planInput } from './routes-read.js';

/** The most journal entries one `GET /v1/journal` answers with. */
const MAX_JOURNAL_PAGE = 1_000;

/** A whole-number query parameter within bounds, or `fallback` when absent. */
function wholeNumber(context: RouteContext, name: string, fallback: number, min: number, max: number): number {
  const raw = context.query.get(name);
  if (raw === null) return fallback;
  const value = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) throw malformed(`"${name}" must be a whole number from ${min} to ${max}.`);
  return value;
}

/**
 * One environment, its health, its silences, the explanation of a deployment or a promotion, and
 * a page of the journal: what a terminal shows an operator.
 * @internal
 */
export const inspectRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/environments/:environment',
    action: 'read',
    async handle(context) {
      const environment = environmentParam(context);
      const record = await context.agent.railyard.environments.get(environment);
      if (!record)
        throw new NotFoundError('environment', environment, 'List the environments with GET /v1/environments.');
      return json(200, record);
    },
  },
  {
    method: 'GET',
    path: '/v1/environments/:environment/health',
    action: 'read',
    async handle(context) {
      return json(200, await context.agent.railyard.environments.health(environmentParam(context)));
    },
  },
  {
    method: 'GET',
    path: '/v1/environments/:environment/silences',
    action: 'read',
    async handle(context) {
      return json(200, await context.agent.railyard.monitors.silences(environmentParam(context)));
    },
  },
  {
    method: 'GET',
    path: '/v1/explain',
    action: 'read',
    async handle(context) {
      const input = await planInput(context, 'GET /v1/explain');
      const target = 'deployment' in input ? input.deployment : { bundle: input.bundle, to: input.to };
      return json(200, await context.agent.railyard.deployments.explain(target));
    },
  },
  {
    method: 'GET',
    path: '/v1/journal',
    action: 'read',
    async handle(context) {
      const { query, key } = context;
      const environment = query.get('environment') ?? undefined;
      if (environment !== undefined) allowEnvironment(context, environment);
      const deploymentId = query.get('deployment') ?? undefined;
      const actorId = query.get('actor') ?? undefined;
      const after = wholeNumber(context, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = wholeNumber(context, 'limit', 100, 1, MAX_JOURNAL_PAGE);
      const entries: JournalEntry[] = [];
      // Entries the key may not see are skipped, so the store's own limit cannot be used: read on
      // until the page is full or the journal ends (a short page means the end).
      const read = context.agent.railyard.journal.read({
        after,
        ...(environment !== undefined ? { environment } : {}),
        ...(deploymentId !== undefined ? { deploymentId } : {}),
        ...(actorId !== undefined ? { actorId } : {}),
      });
      for await (const entry of read) {
        if (!seesEnvironment(key, entry.environment)) continue;
        entries.push(entry);
        if (entries.length >= limit) break;
      }
      return json(200, entries);
    },
  },
];
