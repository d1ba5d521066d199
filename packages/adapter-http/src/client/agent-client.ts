import {
  type ActorInput,
  BundleSignatureSchema,
  bundleId,
  type Deployment,
  DeploymentSchema,
  type EnvironmentHealth,
  type EnvironmentRecord,
  EnvironmentRecordSchema,
  type Explanation,
  type JournalEntry,
  type PromotionPlan,
  type Silence,
} from '@railyard/core';
import { pushProgress, systemClock, type Transport } from '@railyard/core/adapters';
import { isRailyardError } from '@railyard/core/errors';
import { type Idempotent, sendCommand } from './command.js';
import { type FollowEventsOptions, followEvents } from './event-source.js';
import { operatorCalls, targetQuery } from './operator-calls.js';
import { type AgentClientOptions, createRequester } from './requester.js';
import { parseAnswer } from './wire.js';

/**
 * Everything a key can ask an agent: the Transport calls a design site makes, plus decisions,
 * rollbacks and reads for operators' tools. Each call is signed and sent once; errors arrive as
 * the agent's own `RailyardError` classes, or as an `AdapterError` marked `retryable` when the same
 * call may succeed (a Railyard using this client as its transport retries those itself).
 *
 * @example
 * ```ts
 * const ops = createAgentClient({ url, keyId: 'ops', secret: opsSecret });
 * const plan = await ops.plan({ deployment: id });
 * await ops.approve(id, { bundle: plan.bundle.id, comment: 'reviewed' });
 * ```
 */
export interface AgentClient extends Transport {
  /** Approves a deployment. Pass the same `idempotencyKey` when you retry: the agent approves once. */
  approve(id: string, input?: { comment?: string; bundle?: string; by?: ActorInput } & Idempotent): Promise<Deployment>;
  /** Rejects a deployment, once per `idempotencyKey`. */
  reject(id: string, input?: { comment?: string; reason?: string; by?: ActorInput } & Idempotent): Promise<Deployment>;
  /** Rolls an environment back, once per `idempotencyKey`: a repeat returns the first rollback. */
  rollback(
    environment: string,
    input: { reason: string; to?: string; by?: ActorInput } & Idempotent,
  ): Promise<Deployment>;
  /** Every environment of the agent's site. */
  environments(): Promise<EnvironmentRecord[]>;
  /** An environment's deployments, newest first. */
  history(environment: string, options?: { limit?: number }): Promise<Deployment[]>;
  /** What promoting a bundle into an environment would do, without doing it. */
  plan(input: { deployment: string } | { bundle: string; to: string }): Promise<PromotionPlan>;
  /** The agent's journal, entry by entry, resuming across dropped connections. */
  events(options?: FollowEventsOptions): AsyncIterable<JournalEntry>;
  /** Resolves when the agent answers its health check. */
  health(): Promise<{
    /** The agent's answer, `ok` when healthy. */
    status: string;
  }>;
  /**
   * Withdraws a deployment that has not started (it ends `cancelled`); its requester or an
   * operator may. Once per `idempotencyKey`. Needs the key action `cancel`.
   *
   * @example
   * ```ts
   * await ops.cancel(id, { reason: 'superseded by 1.4.1', idempotencyKey: `cancel-${id}` });
   * ```
   */
  cancel(id: string, input?: { reason?: string; comment?: string; by?: ActorInput } & Idempotent): Promise<Deployment>;
  /**
   * Stops a stuck or unwanted deployment in any unfinished state (it ends `failed`); operators
   * only. Once per `idempotencyKey`. Needs the key action `abandon`.
   *
   * @example
   * ```ts
   * await ops.abandon(id, { reason: 'activation host is gone', idempotencyKey: 'INC-4713-abandon' });
   * ```
   */
  abandon(id: string, input?: { reason?: string; comment?: string; by?: ActorInput } & Idempotent): Promise<Deployment>;
  /**
   * Resumes a halted environment; operators only. Once per `idempotencyKey`. Needs the key action `resume`.
   *
   * @example
   * ```ts
   * const production = await ops.resume('production', { reason: 'feature store fixed', idempotencyKey: 'INC-4714-resume' });
   * ```
   */
  resume(environment: string, input?: { reason?: string; by?: ActorInput } & Idempotent): Promise<EnvironmentRecord>;
  /**
   * Silences a monitor until `until`, or for `durationMs` from now on the agent's clock: it reads
   * and records, nothing acts. Operators only; once per `idempotencyKey`. Needs the key action `silence`.
   *
   * @example
   * ```ts
   * await ops.silence('production', { monitor: 'latency', durationMs: 2 * 3_600_000, reason: 'load test' });
   * ```
   */
  silence(
    environment: string,
    input: { monitor: string; reason: string; by?: ActorInput } & ({ until: string } | { durationMs: number }) &
      Idempotent,
  ): Promise<Silence>;
  /**
   * Ends a monitor's silence now; answers the silence that ended (`NOT_FOUND` when there is none).
   * Once per `idempotencyKey`. Needs the key action `silence`.
   *
   * @example
   * ```ts
   * await ops.unsilence('production', 'latency', { reason: 'load test over' });
   * ```
   */
  unsilence(
    environment: string,
    monitor: string,
    input?: { reason?: string; by?: ActorInput } & Idempotent,
  ): Promise<Silence>;
  /**
   * The silences in force in an environment.
   *
   * @example
   * ```ts
   * for (const s of await ops.silences('production')) console.log(s.monitor, s.until, s.by.id);
   * ```
   */
  silences(environment: string): Promise<Silence[]>;
  /**
   * One environment (its status, active deployment, in-flight deployment and queue), or `null`.
   *
   * @example
   * ```ts
   * const production = await ops.environment('production');
   * console.log(production?.status, production?.active?.snapshot.version);
   * ```
   */
  environment(id: string): Promise<EnvironmentRecord | null>;
  /**
   * An environment's health rollup: deployment, execution and monitors, and the worst of them.
   *
   * @example
   * ```ts
   * const { level, monitors } = await ops.environmentHealth('production');
   * ```
   */
  environmentHealth(environment: string): Promise<EnvironmentHealth>;
  /**
   * Why a deployment is where it is (what it waits for), or what stands between a bundle and an environment.
   *
   * @example
   * ```ts
   * console.log((await ops.explain({ deployment: id })).text);
   * ```
   */
  explain(input: { deployment: string } | { bundle: string; to: string }): Promise<Explanation>;
  /**
   * A page of the journal, oldest first: up to `limit` (default 100, at most 1,000) entries after
   * `after` that the key may see, filtered by environment, deployment or actor. A page shorter
   * than `limit` is the end; read on with `after` set to the last entry's `seq`.
   *
   * @example
   * ```ts
   * const entries = await ops.journal({ environment: 'production', actor: 'olga', limit: 50 });
   * ```
   */
  journal(query?: {
    after?: number;
    limit?: number;
    environment?: string;
    deployment?: string;
    actor?: string;
  }): Promise<JournalEntry[]>;
}

const segment = encodeURIComponent;

/**
 * Creates an {@link AgentClient}.
 *
 * @example
 * ```ts
 * const client = createAgentClient({ url: 'http://127.0.0.1:8080', keyId: 'ops', secret });
 * for await (const entry of client.events({ after: 0 })) console.log(entry.seq, entry.type);
 * ```
 */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const request = createRequester(options);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const clock = options.clock ?? systemClock;
  const promote = async (promotion: Parameters<Transport['promote']>[0]) => {
    const what = `Requesting the promotion of ${promotion.bundleId} to ${promotion.to}`;
    return parseAnswer(
      DeploymentSchema,
      await request({ method: 'POST', path: '/v1/promotions', json: promotion, what }),
      what,
    );
  };
  const decide = async <T extends Idempotent>(path: string, input: T, what: string) =>
    parseAnswer(DeploymentSchema, await sendCommand(request, path, input, what), what);

  return {
    async missingBlobs(digests) {
      const unique = [...new Set(digests)];
      const missing = new Set<string>();
      let next = 0;
      const worker = async () => {
        while (next < unique.length) {
          const digest = unique[next++] as string;
          const what = `Checking blob ${digest}`;
          const response = await request({ method: 'HEAD', path: `/v1/blobs/${segment(digest)}`, accept: [404], what });
          if (response.status === 404) missing.add(digest);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
      return unique.filter((digest) => missing.has(digest));
    },
    async pushBlob(blob, source) {
      const hex = blob.digest.replace(/^sha256:/, '');
      const path = `/v1/blobs/${segment(blob.digest)}?size=${blob.size}`;
      const what = `Pushing blob ${blob.digest}`;
      const body = pushProgress(blob, source, options.onProgress);
      await request({ method: 'PUT', path, stream: { body, sha256: hex, size: blob.size }, what });
    },
    async pushBundle(manifest) {
      const id = bundleId(manifest);
      const what = `Pushing the manifest of ${manifest.project}@${manifest.version}`;
      const response = await request({ method: 'PUT', path: `/v1/bundles/${segment(id)}`, json: manifest, what });
      const answer = (await response.json()) as { id?: unknown };
      return { id: typeof answer.id === 'string' ? answer.id : id };
    },
    async pushSignature(signature) {
      const path = `/v1/bundles/${segment(signature.bundleId)}/signatures/${segment(signature.keyId)}`;
      const what = `Pushing signature ${signature.keyId} of ${signature.bundleId}`;
      await parseAnswer(BundleSignatureSchema, await request({ method: 'PUT', path, json: signature, what }), what);
    },
    promote: (promotion) => promote({ ...promotion }),
    async getDeployment(id) {
      const what = `Reading deployment ${id}`;
      try {
        return await parseAnswer(
          DeploymentSchema,
          await request({ method: 'GET', path: `/v1/deployments/${segment(id)}`, what }),
          what,
        );
      } catch (error) {
        if (isRailyardError(error, 'NOT_FOUND') && error.details.kind === 'deployment') return null;
        throw error;
      }
    },
    // Decisions and rollbacks carry an Idempotency-Key; a failure after they may have reached the
    // agent is retryable only when the caller chose the key (and so can send it again).
    approve: (id, input = {}) => decide(`/v1/deployments/${segment(id)}/approvals`, input, `Approving ${id}`),
    reject: (id, input = {}) => decide(`/v1/deployments/${segment(id)}/rejections`, input, `Rejecting ${id}`),
    rollback: (environment, input) =>
      decide(`/v1/environments/${segment(environment)}/rollback`, input, `Rolling back ${environment}`),
    async environments() {
      const what = 'Listing environments';
      return parseAnswer(
        EnvironmentRecordSchema.array(),
        await request({ method: 'GET', path: '/v1/environments', what }),
        what,
      );
    },
    async history(environment, historyOptions = {}) {
      const what = `Reading the history of ${environment}`;
      const query = historyOptions.limit ? `?limit=${historyOptions.limit}` : '';
      const path = `/v1/environments/${segment(environment)}/deployments${query}`;
      return parseAnswer(DeploymentSchema.array(), await request({ method: 'GET', path, what }), what);
    },
    async plan(input) {
      const what = 'Reading a plan';
      const response = await request({ method: 'GET', path: `/v1/plan?${targetQuery(input)}`, what });
      return (await response.json()) as PromotionPlan;
    },
    ...operatorCalls(request),
    events: (eventOptions = {}) => followEvents(request, clock, eventOptions),
    async health() {
      const response = await request({ method: 'GET', path: '/v1/health', what: 'Checking health' });
      return (await response.json()) as { status: string };
    },
  };
}
