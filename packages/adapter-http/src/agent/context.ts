import { type ActorInput, normalizeActorId, type Railyard } from '@railyard/core';
import type { StateStore } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { forbidden } from '../errors.js';
import type { AgentErrorReporter, AgentRequest, AgentResponse } from './exchange.js';
import type { AgentAction, AgentKey, ResolvedAgentOptions } from './options.js';

/**
 * The parts of a {@link Railyard} the agent serves: its site API, decisions, rollbacks, operators'
 * commands, monitor silences and reads.
 *
 * @example
 * ```ts
 * const site: AgentSite = createRailyard({ store, blobs });
 * ```
 */
export type AgentSite = Pick<
  Railyard,
  'site' | 'deployments' | 'environments' | 'monitors' | 'journal' | 'events' | 'readiness' | 'prometheusMetrics'
>;

/** What every route handler gets. @internal */
export interface RouteContext {
  request: AgentRequest;
  /** Decoded path parameters, in order. */
  params: string[];
  query: URLSearchParams;
  /** The authenticated key; absent on public routes. */
  key: AgentKey;
  /** The body digest the signature covers. */
  contentSha256: string;
  /** The signed `Idempotency-Key`, if any. */
  idempotencyKey?: string;
  /** The id this exchange is logged and answered under. */
  correlationId: string;
  agent: AgentState;
}

/** The agent's shared state. @internal */
export interface AgentState {
  railyard: AgentSite;
  options: ResolvedAgentOptions;
  /** Nonces and the answers of commands. */
  store: StateStore;
  /** The host's `onError`. */
  report: AgentErrorReporter;
  /** Blob uploads in flight, in all and per key. */
  uploads: { active: number; byKey: Map<string, number> };
  streams: { active: number };
  /** Aborted by `agent.close()`: ends every event stream. */
  closed: AbortSignal;
}

/** One endpoint. `action: null` marks a public route (no signature). @internal */
export interface Route {
  method: string;
  /** Path segments; `:name` captures one. */
  path: string;
  action: AgentAction | null;
  /** A command that changes state: it needs an `Idempotency-Key`, and a repeat gets the first answer. */
  command?: true;
  handle(context: RouteContext): Promise<AgentResponse>;
}

/** Throws 403 unless the key may act on or read `environment`. @internal */
export function allowEnvironment(context: RouteContext, environment: string): void {
  const allowed = context.key.environments;
  if (allowed === '*' || allowed.includes(environment)) return;
  throw forbidden(
    'environment-not-allowed',
    `Key "${context.key.id}" may not use environment "${environment}"; it may use ${allowed.length ? allowed.map((e) => `"${e}"`).join(', ') : 'none'}. Use another key or add the environment to this key on the agent.`,
    { keyId: context.key.id, actor: context.key.actor.id, environment },
  );
}

/** The environment a route's path names (its first parameter), after checking the key may use it. @internal */
export function environmentParam(context: RouteContext): string {
  const environment = context.params[0] ?? '';
  allowEnvironment(context, environment);
  return environment;
}

/** Whether the key sees everything, or only some environments. @internal */
export function seesEnvironment(key: AgentKey, environment: string | undefined): boolean {
  if (key.environments === '*') return true;
  return environment !== undefined && key.environments.includes(environment);
}

/**
 * Who a command is recorded as: the key's actor, or, for a key that acts on behalf of people, the
 * person the client names, with the key's roles (a client never chooses roles) and the key's actor
 * beside it as `via`. A person outside the key's `actOnBehalfOf` is refused with 403. @internal
 */
export function actorFor(key: AgentKey, by: unknown): ActorInput {
  const id = by && typeof by === 'object' ? (by as { id?: unknown }).id : undefined;
  if (!key.actOnBehalf || typeof id !== 'string') return key.actor;
  const allowed = key.actOnBehalfOf;
  if (allowed && !allowed.some((person) => normalizeActorId(person) === normalizeActorId(id))) {
    throw forbidden(
      'act-on-behalf-not-allowed',
      `Key "${key.id}" may not act on behalf of "${id}"; it may name ${allowed.map((p) => `"${p}"`).join(', ') || 'nobody'}. Add the person to actOnBehalfOf on the agent, or send the request with their own key.`,
      { keyId: key.id, actor: key.actor.id, person: id },
    );
  }
  return { id, roles: [...(key.actor.roles ?? [])], via: key.actor.id };
}

/**
 * The body as an object with only the named fields; anything else is refused with 422 so that a
 * typo is not silently ignored. @internal
 */
export function fields(body: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ValidationError(`${where}: the body must be a JSON object.`);
  const unknown = Object.keys(body).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new ValidationError(
      `${where}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; allowed: ${allowed.join(', ')}.`,
      { details: { issues: unknown.map((name) => ({ path: [name], message: 'unknown field' })) } },
    );
  }
  return body as Record<string, unknown>;
}

/** A defined string field, or `undefined`. Types are checked by the engine's own schemas. @internal */
export function optional<T>(value: unknown): T | undefined {
  return value === undefined || value === null ? undefined : (value as T);
}
