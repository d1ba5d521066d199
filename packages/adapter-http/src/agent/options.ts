import type { ActorInput, Clock, Logger } from '@railyard/core';
import { systemClock } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';

/**
 * What a key may do. `push`: send blobs, manifests and signatures; `promote`: request promotions;
 * `approve`: approve or reject deployments; `rollback`: roll an environment back; `read`:
 * deployments, environments, plans and the event stream.
 *
 * @example
 * ```ts
 * const actions: AgentAction[] = ['push', 'promote', 'read'];
 * ```
 */
export type AgentAction = 'push' | 'promote' | 'approve' | 'rollback' | 'read';

/**
 * Every {@link AgentAction}.
 *
 * @example
 * ```ts
 * const admin: AgentKey = { id: 'admin', secrets: [secret], actor, actions: [...AGENT_ACTIONS], environments: '*' };
 * ```
 */
export const AGENT_ACTIONS: readonly AgentAction[] = ['push', 'promote', 'approve', 'rollback', 'read'];

/**
 * One key the agent accepts: who it speaks for and what it may do where.
 *
 * @example
 * ```ts
 * const design: AgentKey = {
 *   id: 'design-site',
 *   secrets: [process.env.DESIGN_KEY_SECRET!],
 *   actor: { id: 'design-site', roles: ['designer'] },
 *   actions: ['push', 'promote', 'read'],
 *   environments: ['production'],
 *   actOnBehalf: true,
 * };
 * ```
 */
export interface AgentKey {
  /** Sent by the client in `railyard-key-id`. */
  id: string;
  /**
   * Secrets that verify this key's signatures, at least 32 characters each (for example
   * `openssl rand -base64 32`). During a rotation list the new and the old; remove the old once
   * every client signs with the new one.
   */
  secrets: string[];
  /** The actor commands made with this key are recorded as, and the roles they carry. */
  actor: ActorInput;
  actions: AgentAction[];
  /** The environments the key may act on or read, or `'*'` for all. */
  environments: string[] | '*';
  /**
   * Record promotions, approvals and rollbacks under the person id the client names in `by.id`
   * (with this key's roles, never the client's). Separation of duties then applies to that person.
   * Off by default: the key's own actor is recorded.
   */
  actOnBehalf?: boolean;
}

/**
 * The agent's limits. Every one has a default; pass only what you change.
 *
 * @example
 * ```ts
 * createAgent(railyard, { keys, limits: { maxBlobBytes: 16 * 2 ** 30, rate: { requests: 600, perSeconds: 60 } } });
 * ```
 */
export interface AgentLimits {
  /** Largest JSON body (manifests, commands), bytes. Default 1 MiB. */
  maxJsonBytes: number;
  /** Largest blob, bytes. Default 8 GiB. */
  maxBlobBytes: number;
  /** Blob uploads in flight at once; more get 503 with `Retry-After`. Default 4. */
  maxConcurrentUploads: number;
  /** Per-key token bucket: `requests` per `perSeconds`, bursting up to `requests`. Default 6,000 per 60 s. */
  rate: { requests: number; perSeconds: number };
  /** A body that sends no bytes for this long is abandoned with 408. Default 30,000 ms. */
  bodyIdleTimeoutMs: number;
  /** How far a request's timestamp may be from the agent's clock. Default 300 s. */
  clockSkewSeconds: number;
  /** Nonces remembered at once (about 100 bytes each). Default 200,000. */
  replayCacheSize: number;
  /** Event streams open at once. Default 32. */
  maxEventStreams: number;
  /** How often an event stream looks for entries committed by other processes, and sends a keep-alive. Default 15,000 ms. */
  eventPollMs: number;
}

/**
 * The default {@link AgentLimits}.
 *
 * @example
 * ```ts
 * createAgent(railyard, { keys, limits: { maxBlobBytes: DEFAULT_AGENT_LIMITS.maxBlobBytes * 2 } });
 * ```
 */
export const DEFAULT_AGENT_LIMITS: Readonly<AgentLimits> = Object.freeze({
  maxJsonBytes: 1024 * 1024,
  maxBlobBytes: 8 * 1024 ** 3,
  maxConcurrentUploads: 4,
  rate: { requests: 6_000, perSeconds: 60 },
  bodyIdleTimeoutMs: 30_000,
  clockSkewSeconds: 300,
  replayCacheSize: 200_000,
  maxEventStreams: 32,
  eventPollMs: 15_000,
});

/**
 * Options of `createAgent`: the keys it accepts, its limits, and its clock.
 *
 * @example
 * ```ts
 * const options: AgentOptions = { keys, clock: createFakeClock() };
 * ```
 */
export interface AgentOptions {
  keys: AgentKey[];
  limits?: Partial<AgentLimits>;
  /** The clock for timestamps, timeouts and rate limits; defaults to the wall clock. */
  clock?: Clock;
  /**
   * A bearer token (at least 32 characters) that lets a scraper read `GET /v1/metrics` with
   * `Authorization: Bearer <token>` instead of a signed request. Without it, metrics need a
   * signed request from a key that may `read` every environment.
   */
  metricsToken?: string;
  /**
   * Where the agent logs: requests at debug, refusals (bad signatures, forbidden actions) at
   * warn, unexpected failures at error. A pino logger fits as is. Secrets, signatures and bodies
   * are never logged.
   */
  logger?: Logger;
}

/** @internal */
export interface ResolvedAgentOptions {
  keys: ReadonlyMap<string, AgentKey>;
  limits: AgentLimits;
  clock: Clock;
  metricsToken: string | undefined;
}

const MIN_SECRET_LENGTH = 32;

/** Checks the options once, at start-up. @internal */
export function resolveAgentOptions(options: AgentOptions): ResolvedAgentOptions {
  if (!options || !Array.isArray(options.keys) || options.keys.length === 0)
    throw new ValidationError('createAgent: pass at least one key in { keys }; see docs/http.md "Keys and roles".');
  const keys = new Map<string, AgentKey>();
  for (const key of options.keys) {
    const where = `createAgent: key "${key?.id}"`;
    if (!key || typeof key.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(key.id))
      throw new ValidationError(`${where}: the id must be 1–100 letters, digits, ".", "_" or "-".`);
    if (keys.has(key.id)) throw new ValidationError(`${where} is listed twice; key ids must be unique.`);
    if (!Array.isArray(key.secrets) || key.secrets.length === 0)
      throw new ValidationError(`${where} has no secrets; list at least one.`);
    for (const secret of key.secrets) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH)
        throw new ValidationError(
          `${where}: every secret must be a string of at least ${MIN_SECRET_LENGTH} characters; generate one with "openssl rand -base64 32".`,
        );
    }
    if (!key.actor || typeof key.actor.id !== 'string' || key.actor.id.length === 0)
      throw new ValidationError(`${where} needs an actor { id, roles }.`);
    for (const action of key.actions ?? []) {
      if (!AGENT_ACTIONS.includes(action))
        throw new ValidationError(`${where}: unknown action "${action}"; use ${AGENT_ACTIONS.join(', ')}.`);
    }
    if (key.environments !== '*' && !Array.isArray(key.environments))
      throw new ValidationError(`${where}: environments must be a list of environment ids or '*'.`);
    keys.set(key.id, { ...key, actions: [...(key.actions ?? [])] });
  }
  const limits: AgentLimits = { ...DEFAULT_AGENT_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    const values = typeof value === 'object' ? Object.values(value) : [value];
    if (!values.every((v) => typeof v === 'number' && v > 0 && Number.isFinite(v)))
      throw new ValidationError(`createAgent: limits.${name} must be positive numbers.`);
  }
  if (
    options.metricsToken !== undefined &&
    (typeof options.metricsToken !== 'string' || options.metricsToken.length < MIN_SECRET_LENGTH)
  )
    throw new ValidationError(
      `createAgent: metricsToken must be a string of at least ${MIN_SECRET_LENGTH} characters; generate one with "openssl rand -base64 32".`,
    );
  return { keys, limits, clock: options.clock ?? systemClock, metricsToken: options.metricsToken };
}
