import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forbidden, rateLimited } from '../errors.js';
import { createNonceGuard } from '../signing/nonce-guard.js';
import { verifyRequest } from '../signing/verify-request.js';
import type { AgentSite, AgentState } from './context.js';
import {
  type AgentErrorReporter,
  type AgentRequest,
  type AgentResponse,
  CORRELATION_HEADER,
  errorResponse,
} from './exchange.js';
import { serveFetch } from './fetch-adapter.js';
import { once } from './idempotency.js';
import { serveNode } from './node-adapter.js';
import { type AgentOptions, resolveAgentOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { matchRoute } from './router.js';
import { hasMetricsToken, PUBLIC_PATHS } from './routes-health.js';

/**
 * A production site's HTTP agent. Mount `handleNode` on a `node:http` server (see
 * `createAgentServer`) or `fetch` on any server that speaks WHATWG `Request`/`Response`.
 *
 * @example
 * ```ts
 * const agent = createAgent(production, { keys });
 * const server = createAgentServer(agent).listen(8443, '127.0.0.1');
 * ```
 */
export interface Agent {
  /** A `node:http` request listener. */
  handleNode(req: IncomingMessage, res: ServerResponse): void;
  /** A WHATWG fetch handler. */
  fetch(request: Request): Promise<Response>;
  /** Ends every open event stream (call it before closing the server). */
  close(): void;
}

/**
 * Options of {@link createAgent}: keys, limits, clock, and where unexpected errors are reported.
 *
 * @example
 * ```ts
 * const options: CreateAgentOptions = {
 *   keys, audience: 'https://railyard.prod.example.com', store,
 *   limits: { maxBlobBytes: 2 ** 34 },
 *   onError: (error, { correlationId }) => logger.error({ correlationId, error }),
 * };
 * ```
 */
export interface CreateAgentOptions extends AgentOptions {
  /**
   * Failures answered with 5xx, with the correlation id the client was given (its answer only says
   * the code and that id: file paths, database hosts and stacks stay here). Defaults to
   * `logger.error`, else `console.error`.
   */
  onError?: AgentErrorReporter;
}

/**
 * Serves a Railyard to other sites over HTTP. Each request goes through, in order: signature
 * verification (HMAC-SHA256 over method, path and query, body digest, timestamp, nonce, key id,
 * audience and idempotency key; any of the key's secrets; ±300 s), the key's rate limit, the nonce
 * (refused if used before, by this or any replica sharing `store`, within the key's budget),
 * route lookup, the key's actions, then the route, which checks the key's environments, bounds
 * the body while it streams, runs commands once per `Idempotency-Key`, and calls the Railyard.
 * Refusals and engine errors are answered as typed JSON (`RailyardError.toJSON()`), which the
 * client turns back into the same error classes; every answer carries a correlation id.
 *
 * @example
 * ```ts
 * const production = createRailyard({ store, blobs });
 * const agent = createAgent(production, {
 *   audience: 'https://railyard.prod.example.com',
 *   store,
 *   keys: [
 *     { id: 'design-site', secrets: [designSecret], actor: { id: 'design-site', roles: [] }, actions: ['push', 'promote', 'read'], environments: ['production'], actOnBehalf: true },
 *     { id: 'ops', secrets: [opsSecret], actor: { id: 'operator', roles: ['ops'] }, actions: ['approve', 'rollback', 'read'], environments: '*' },
 *   ],
 * });
 * createAgentServer(agent).listen(8080, '127.0.0.1');
 * ```
 */
export function createAgent(railyard: AgentSite, options: CreateAgentOptions): Agent {
  const resolved = resolveAgentOptions(options);
  const logger = options.logger;
  const onError: AgentErrorReporter =
    options.onError ??
    (logger
      ? (error, { correlationId }) =>
          logger.error({ err: error, correlationId }, 'the agent failed to answer a request')
      : (error, { correlationId }) => console.error(`[railyard agent] correlation id ${correlationId}:`, error));
  const closed = new AbortController();
  const state: AgentState = {
    railyard,
    options: resolved,
    store: resolved.store,
    report: onError,
    uploads: { active: 0, byKey: new Map() },
    streams: { active: 0 },
    closed: closed.signal,
  };
  const nonces = createNonceGuard({
    store: resolved.store,
    audience: resolved.audience,
    maxPerKey: resolved.limits.noncesPerKey,
    windowSeconds: 2 * resolved.limits.clockSkewSeconds,
  });
  const limiter = new RateLimiter(resolved.limits.rate);
  const secretsOf = (keyId: string) => resolved.keys.get(keyId)?.secrets;

  async function handle(request: AgentRequest): Promise<AgentResponse> {
    const correlationId = randomUUID();
    const started = logger ? performance.now() : 0;
    const answered = await answer(request, correlationId);
    const response = { ...answered, headers: { ...answered.headers, [CORRELATION_HEADER]: correlationId } };
    if (!logger) return response;
    const facts = {
      method: request.method,
      path: request.target.split('?')[0],
      status: response.status,
      keyId: request.header('railyard-key-id') ?? undefined,
      correlationId,
      ms: Math.round(performance.now() - started),
    };
    if (response.status === 401 || response.status === 403) logger.warn(facts, 'agent refused a request');
    else logger.debug(facts, 'agent answered a request');
    return response;
  }

  async function answer(request: AgentRequest, correlationId: string): Promise<AgentResponse> {
    try {
      const path = request.target.split('?')[0] ?? '';
      // Unsigned: the health checks, and the metrics for the holder of the metrics token.
      const unsigned =
        request.method !== 'GET'
          ? undefined
          : PUBLIC_PATHS.has(path)
            ? PUBLIC
            : path === METRICS_PATH && hasMetricsToken(state, request)
              ? SCRAPER
              : undefined;
      if (unsigned) {
        const { route, params, query } = matchRoute(request.method, request.target);
        return await route.handle({
          request,
          params,
          query,
          key: unsigned,
          contentSha256: '',
          correlationId,
          agent: state,
        });
      }
      // Authenticate before anything else, so that strangers learn nothing, not even which paths exist.
      const nowMs = resolved.clock.now().getTime();
      const verified = verifyRequest({
        method: request.method,
        target: request.target,
        header: request.header,
        secretsOf,
        maxSecrets: resolved.maxSecrets,
        audience: resolved.audience,
        nowMs,
        skewSeconds: resolved.limits.clockSkewSeconds,
      });
      const key = resolved.keys.get(verified.keyId);
      if (!key) throw new Error('unreachable: a verified key is configured');
      // The rate limit first, so that a flood from one key never reaches the nonce store.
      const wait = limiter.take(key.id, nowMs);
      if (wait > 0) throw rateLimited(key.id, wait);
      await nonces(verified, nowMs);
      const { route, params, query } = matchRoute(request.method, request.target);
      if (route.action !== null && !key.actions.includes(route.action)) {
        throw forbidden(
          'action-not-allowed',
          `Key "${key.id}" may not ${route.action} (it may ${key.actions.join(', ') || 'nothing'}). Use a key that may, or grant "${route.action}" to this key on the agent.`,
          { keyId: key.id, actor: key.actor.id, action: route.action },
        );
      }
      const context = {
        request,
        params,
        query,
        key,
        contentSha256: verified.contentSha256,
        ...(verified.idempotencyKey !== undefined ? { idempotencyKey: verified.idempotencyKey } : {}),
        correlationId,
        agent: state,
      };
      return await (route.command ? once(context, () => route.handle(context)) : route.handle(context));
    } catch (error) {
      return errorResponse(error, onError, correlationId);
    }
  }

  return {
    handleNode(req, res) {
      serveNode(handle, req, res).catch((error: unknown) => {
        onError(error, { correlationId: 'none' });
        res.destroy();
      });
    },
    fetch: (request) => serveFetch(handle, request),
    close: () => closed.abort(),
  };
}

const METRICS_PATH = '/v1/metrics';

/** The key public routes see: may do nothing. */
const PUBLIC = Object.freeze({
  id: 'public',
  secrets: [],
  actor: { id: 'anonymous', roles: [] },
  actions: [],
  environments: [],
});

/** The key a scraper holding the metrics token acts as: it may read metrics, nothing else. */
const SCRAPER = Object.freeze({
  id: 'metrics-token',
  secrets: [],
  actor: { id: 'metrics-scraper', roles: [] },
  actions: ['read' as const],
  environments: '*' as const,
});
