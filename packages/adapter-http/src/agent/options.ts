import type { ActorInput, Clock, Logger } from '@railyard/core';
import { type StateStore, systemClock } from '@railyard/core/adapters';
import { CapabilityError, ValidationError } from '@railyard/core/errors';

/**
 * What a key may do. `push`: send blobs, manifests and signatures; `promote`: request promotions;
 * `approve`: approve or reject deployments; `rollback`: roll an environment back; `cancel`: withdraw
 * a deployment that has not started; `abandon`: stop a stuck or unwanted deployment; `resume`:
 * resume a halted environment; `silence`: silence a monitor or end its silence; `read`: deployments,
 * environments, their health and silences, plans, explanations, the journal and the event stream.
 * The production site's policy applies on top (who may cancel, abandon, resume or silence).
 *
 * @example
 * ```ts
 * const actions: AgentAction[] = ['push', 'promote', 'read'];
 * ```
 */
export type AgentAction =
  | 'push'
  | 'promote'
  | 'approve'
  | 'rollback'
  | 'cancel'
  | 'abandon'
  | 'resume'
  | 'silence'
  | 'read';

/**
 * Every {@link AgentAction}.
 *
 * @example
 * ```ts
 * const admin: AgentKey = { id: 'admin', secrets: [secret], actor, actions: [...AGENT_ACTIONS], environments: '*' };
 * ```
 */
export const AGENT_ACTIONS: readonly AgentAction[] = [
  'push',
  'promote',
  'approve',
  'rollback',
  'cancel',
  'abandon',
  'resume',
  'silence',
  'read',
];

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
  /** The actions this key may call. */
  actions: AgentAction[];
  /** The environments the key may act on or read, or `'*'` for all. */
  environments: string[] | '*';
  /**
   * Record promotions and cancellations under the person id the client names in `by.id` (with
   * this key's roles, never the client's), with the key's actor beside it (`by.via`). Separation of
   * duties then applies to both: neither the person nor the key's actor may approve. Refused on a
   * key whose actions include `approve`, `rollback`, `resume`, `abandon` or `silence`: a key that
   * names people may not also decide or act as an operator.
   * Off by default: the key's own actor is recorded.
   */
  actOnBehalf?: boolean;
  /**
   * With `actOnBehalf`, the only persons the key may name (compared normalised, see
   * `normalizeActorId`); a request naming anyone else is refused with 403. Absent: any person.
   */
  actOnBehalfOf?: string[];
}

/**
 * Actions a key that acts on behalf of people may not hold: it could decide, or act as an
 * operator, as anyone (cancel stays: a requester may withdraw their own request).
 */
const DECIDING_ACTIONS: readonly string[] = ['approve', 'rollback', 'resume', 'abandon', 'silence'];

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
  /** Largest nesting depth of a JSON body (objects and arrays); deeper gets 422. Default 64. */
  maxJsonDepth: number;
  /** Blob uploads in flight at once; more get 503 with `Retry-After`. Default 4. */
  maxConcurrentUploads: number;
  /** Blob uploads in flight at once for one key, so that one key's slow uploads cannot hold every slot. Default 2. */
  maxConcurrentUploadsPerKey: number;
  /** The longest one blob upload may take, start to end; past it, 408. Default 4 h. */
  uploadDeadlineMs: number;
  /**
   * The slowest average rate an upload may keep, in bytes per second, measured from its start once
   * `uploadGraceMs` has passed; slower gets 408. Default 65,536 (64 KiB/s).
   */
  minUploadBytesPerSecond: number;
  /** How long an upload runs before its rate is checked. Default 30,000 ms. */
  uploadGraceMs: number;
  /** Per-key token bucket: `requests` per `perSeconds`, bursting up to `requests`. Default 6,000 per 60 s. */
  /** Requests one key may make per window. */
  rate: {
    /** Requests allowed in a window. */
    requests: number;
    /** The window, in seconds. */
    perSeconds: number;
  };
  /** A body that sends no bytes for this long is abandoned with 408. Default 30,000 ms. */
  bodyIdleTimeoutMs: number;
  /** How far a request's timestamp may be from the agent's clock. Default 300 s. */
  clockSkewSeconds: number;
  /**
   * Nonces one key may have inside the timestamp window (requests per `2 × clockSkewSeconds`);
   * more get 429, so that one key cannot fill the nonce store for all. Default 50,000.
   */
  noncesPerKey: number;
  /** How long the answer to a command is kept for repeats of its `Idempotency-Key`. Default 24 h. */
  idempotencyTtlMs: number;
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
  maxJsonDepth: 64,
  maxConcurrentUploads: 4,
  maxConcurrentUploadsPerKey: 2,
  uploadDeadlineMs: 4 * 3_600_000,
  minUploadBytesPerSecond: 65_536,
  uploadGraceMs: 30_000,
  rate: { requests: 6_000, perSeconds: 60 },
  bodyIdleTimeoutMs: 30_000,
  clockSkewSeconds: 300,
  noncesPerKey: 50_000,
  idempotencyTtlMs: 24 * 3_600_000,
  maxEventStreams: 32,
  eventPollMs: 15_000,
});

/**
 * Options of `createAgent`: the keys it accepts, its audience, the store that remembers nonces and
 * answers, its limits, and its clock.
 *
 * @example
 * ```ts
 * const options: AgentOptions = { keys, audience: 'https://railyard.prod.example.com', store, clock: createFakeClock() };
 * ```
 */
export interface AgentOptions {
  /** The keys that may call the agent, each with its secret, actions and environments. */
  keys: AgentKey[];
  /**
   * This agent's name in every signature, e.g. its public URL `https://railyard.prod.example.com`
   * (clients default to the origin of the URL they call). A request signed for another audience
   * (another site, a staging agent) is refused. 1–200 printable ASCII characters.
   */
  audience: string;
  /**
   * Where used nonces and the answers to commands are kept: a state store with the `nonces`
   * capability, shared by every replica of this agent (usually the site's own store). The memory
   * store protects one process only, until it restarts.
   */
  store: StateStore;
  /** Request limits overriding the defaults. */
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
  audience: string;
  store: StateStore;
  /** The most secrets any key has. */
  maxSecrets: number;
  limits: AgentLimits;
  clock: Clock;
  metricsToken: string | undefined;
}

const MIN_SECRET_LENGTH = 32;

function checkActOnBehalf(key: AgentKey, where: string): void {
  const deciding = (key.actions ?? []).filter((action) => DECIDING_ACTIONS.includes(action));
  if (key.actOnBehalf && deciding.length > 0)
    throw new ValidationError(
      `${where} acts on behalf of people and may also ${deciding.join(', ')}: such a key could approve, undo or operate as anyone. Give approvals, rollbacks and operators' commands a separate key without actOnBehalf.`,
      { details: { keyId: key.id, actions: deciding } },
    );
  if (key.actOnBehalfOf === undefined) return;
  if (!key.actOnBehalf)
    throw new ValidationError(
      `${where}: actOnBehalfOf needs actOnBehalf: true; set it on this key, or remove actOnBehalfOf.`,
      { details: { keyId: key.id } },
    );
  if (!Array.isArray(key.actOnBehalfOf) || !key.actOnBehalfOf.every((id) => typeof id === 'string' && id.trim() !== ''))
    throw new ValidationError(`${where}: actOnBehalfOf must be a list of person ids, like ['rory', 'dana'].`, {
      details: { keyId: key.id },
    });
}

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
    checkActOnBehalf(key, where);
    keys.set(key.id, { ...key, actions: [...(key.actions ?? [])] });
  }
  if (typeof options.audience !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(options.audience))
    throw new ValidationError(
      'createAgent: pass { audience }, this agent\'s name in signatures (1–200 printable ASCII characters, e.g. its public URL https://railyard.prod.example.com); see docs/http.md "Security".',
    );
  const store = options.store;
  if (!store || typeof store.rememberNonce !== 'function' || store.capabilities?.nonces !== true)
    throw new CapabilityError(
      'nonces',
      'createAgent: pass { store }, a state store with the "nonces" capability (memory, file or PostgreSQL store), so that a replayed request is refused across restarts and replicas.',
    );
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
  const maxSecrets = Math.max(...[...keys.values()].map((key) => key.secrets.length));
  return {
    keys,
    audience: options.audience,
    store,
    maxSecrets,
    limits,
    clock: options.clock ?? systemClock,
    metricsToken: options.metricsToken,
  };
}
