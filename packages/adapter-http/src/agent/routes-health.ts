import { timingSafeEqual } from 'node:crypto';
import { forbidden } from '../errors.js';
import type { AgentState, Route } from './context.js';
import type { AgentRequest } from './exchange.js';
import { json } from './exchange.js';

/**
 * Liveness, readiness and metrics. The health routes are public (load balancers, orchestrators)
 * and tell only states, never causes (those go to the engine's logger). `/v1/metrics` needs a
 * signed request from a key that may `read` every environment, or the agent's metrics token.
 * @internal
 */
export const healthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/health',
    action: null,
    async handle() {
      return json(200, { status: 'ok' });
    },
  },
  {
    method: 'GET',
    path: '/v1/health/live',
    action: null,
    async handle() {
      return json(200, { status: 'ok' });
    },
  },
  {
    method: 'GET',
    path: '/v1/health/ready',
    action: null,
    async handle(context) {
      const { ready, checks } = await context.agent.railyard.readiness();
      const states: Record<string, string> = {};
      for (const [name, check] of Object.entries(checks)) states[name] = check.ok ? 'ok' : 'failing';
      return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: states });
    },
  },
  {
    method: 'GET',
    path: '/v1/metrics',
    action: 'read',
    async handle(context) {
      if (context.key.environments !== '*')
        throw forbidden(
          'environment-not-allowed',
          `Key "${context.key.id}" may not read every environment, and metrics cover them all. Use a key with environments '*', or the agent's metrics token.`,
          { keyId: context.key.id },
        );
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
        body: await context.agent.railyard.prometheusMetrics(),
      };
    },
  },
];

/** The paths anyone may read without a signature. @internal */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/v1/health', '/v1/health/live', '/v1/health/ready']);

/** Whether the request carries the agent's metrics token (`Authorization: Bearer <token>`). @internal */
export function hasMetricsToken(agent: AgentState, request: AgentRequest): boolean {
  const token = agent.options.metricsToken;
  const header = request.header('authorization');
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
