import { NotFoundError } from '@railyard/core/errors';
import { malformed } from '../errors.js';
import type { Route } from './context.js';
import { commandRoutes } from './routes-commands.js';
import { healthRoutes } from './routes-health.js';
import { inspectRoutes } from './routes-inspect.js';
import { operateRoutes } from './routes-operate.js';
import { pushRoutes } from './routes-push.js';
import { readRoutes } from './routes-read.js';

/** Every endpoint of the agent. @internal */
export const ROUTES: readonly Route[] = [
  ...pushRoutes,
  ...commandRoutes,
  ...operateRoutes,
  ...readRoutes,
  ...inspectRoutes,
  ...healthRoutes,
];

const compiled = ROUTES.map((route) => ({ route, segments: route.path.split('/').slice(1) }));

/** A matched route with its decoded parameters and query. @internal */
export interface Matched {
  route: Route;
  params: string[];
  query: URLSearchParams;
}

/**
 * Finds the route for a method and target. Parameters are percent-decoded (a deployment id
 * such as `production/000001` travels as `production%2F000001`). Unknown paths are 404, known
 * paths with another method 405.
 * @internal
 */
export function matchRoute(method: string, target: string): Matched {
  if (!target.startsWith('/') || target.length > 4096) throw malformed('The request target is not a path.');
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1));
  const parts = path.split('/').slice(1);
  let pathMatched = false;
  for (const { route, segments } of compiled) {
    if (segments.length !== parts.length) continue;
    const params: string[] = [];
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const segment = segments[i] as string;
      const part = parts[i] as string;
      if (segment.startsWith(':')) {
        if (part.length === 0) ok = false;
        else params.push(decode(part));
      } else ok = segment === part;
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { route, params, query };
  }
  if (pathMatched) throw malformed(`${method} is not allowed on ${path}.`, 405);
  throw new NotFoundError('route', `${method} ${path}`, 'See docs/http.md for the endpoints.');
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw malformed(`Path segment "${part}" is not valid percent-encoding.`);
  }
}
