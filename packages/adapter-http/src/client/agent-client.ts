import { randomUUID } from 'node:crypto';
import {
  type ActorInput,
  BundleSignatureSchema,
  bundleId,
  type Deployment,
  DeploymentSchema,
  type EnvironmentRecord,
  EnvironmentRecordSchema,
  type JournalEntry,
  type PromotionPlan,
} from '@railyard/core';
import { pushProgress, systemClock, type Transport } from '@railyard/core/adapters';
import { isRailyardError, ValidationError } from '@railyard/core/errors';
import { type FollowEventsOptions, followEvents } from './event-source.js';
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
  environments(): Promise<EnvironmentRecord[]>;
  /** An environment's deployments, newest first. */
  history(environment: string, options?: { limit?: number }): Promise<Deployment[]>;
  plan(input: { deployment: string } | { bundle: string; to: string }): Promise<PromotionPlan>;
  /** The agent's journal, entry by entry, resuming across dropped connections. */
  events(options?: FollowEventsOptions): AsyncIterable<JournalEntry>;
  /** Resolves when the agent answers its health check. */
  health(): Promise<{ status: string }>;
}

/**
 * The idempotency key of a command: reuse it when you retry the command and the agent acts once,
 * answering the repeat with the first answer. Without one, the client draws a random key, and a
 * failure after the agent may have acted is not retryable.
 *
 * @example
 * ```ts
 * await ops.rollback('production', { reason: 'INC-4711', idempotencyKey: 'INC-4711-rollback' });
 * ```
 */
export interface Idempotent {
  /** 1–200 printable ASCII characters. */
  idempotencyKey?: string;
}

const segment = encodeURIComponent;

/** A command's body without its idempotency key, and the call options that carry the key. */
function command<T extends Idempotent>(input: T): { body: Omit<T, 'idempotencyKey'>; key: string; retryable: boolean } {
  const { idempotencyKey, ...body } = input;
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey))
    throw new ValidationError(
      `idempotencyKey ${JSON.stringify(idempotencyKey)} is not 1–200 printable ASCII characters without spaces: it is sent as the Idempotency-Key header.`,
    );
  return { body, key: idempotencyKey ?? randomUUID(), retryable: idempotencyKey !== undefined };
}

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
  const post = async (path: string, json: unknown, what: string, idempotent = true, idempotencyKey?: string) =>
    parseAnswer(
      DeploymentSchema,
      await request({ method: 'POST', path, json, what, idempotent, ...(idempotencyKey ? { idempotencyKey } : {}) }),
      what,
    );
  const decide = async <T extends Idempotent>(path: string, input: T, what: string) => {
    const { body, key, retryable } = command(input);
    return post(path, body, what, retryable, key);
  };

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
    promote: (promotion) =>
      post('/v1/promotions', { ...promotion }, `Requesting the promotion of ${promotion.bundleId} to ${promotion.to}`),
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
      const query: Record<string, string> =
        'deployment' in input ? { deployment: input.deployment } : { bundle: input.bundle, to: input.to };
      const what = 'Reading a plan';
      const response = await request({ method: 'GET', path: `/v1/plan?${new URLSearchParams(query)}`, what });
      return (await response.json()) as PromotionPlan;
    },
    events: (eventOptions = {}) => followEvents(request, clock, eventOptions),
    async health() {
      const response = await request({ method: 'GET', path: '/v1/health', what: 'Checking health' });
      return (await response.json()) as { status: string };
    },
  };
}
