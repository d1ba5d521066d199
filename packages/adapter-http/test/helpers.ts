import { createHash } from 'node:crypto';
import {
  type Agent,
  type AgentKey,
  type AgentLimits,
  type CreateAgentOptions,
  createAgent,
  EMPTY_SHA256,
  type ServedAgent,
  serveAgent,
  signRequest,
} from '@railyard/adapter-http';
import { createRailyard, memoryBlobStore, memoryStateStore, type Railyard } from '@railyard/core';
import type { BlobStore, StateStore } from '@railyard/core/adapters';
import { createFakeClock, type FakeClock } from '@railyard/core/testing';

export const SECRETS = {
  design: 'design-secret-0123456789abcdefghijklmnop',
  designNext: 'design-secret-NEXT-0123456789abcdefghijk',
  ops: 'ops-secret-0123456789abcdefghijklmnopqrstu',
  reader: 'reader-secret-0123456789abcdefghijklmnopq',
  staging: 'staging-secret-0123456789abcdefghijklmnop',
};

/** The audience of the test agent: clients sign every request for it. */
export const AUDIENCE = 'production-site';

export const designer = { id: 'dana', roles: ['data-scientist'] };
export const requester = { id: 'rory', roles: ['data-scientist'] };

/** The keys most tests use: a design site, an ops key, a read-only key, and a key for staging only. */
export function testKeys(): AgentKey[] {
  return [
    {
      id: 'design',
      secrets: [SECRETS.design],
      actor: { id: 'design-site', roles: ['designer'] },
      actions: ['push', 'promote', 'read'],
      environments: ['production'],
      actOnBehalf: true,
    },
    {
      id: 'ops',
      secrets: [SECRETS.ops],
      actor: { id: 'olga', roles: ['ops'] },
      actions: ['approve', 'rollback', 'read'],
      environments: '*',
    },
    {
      id: 'reader',
      secrets: [SECRETS.reader],
      actor: { id: 'auditor', roles: [] },
      actions: ['read'],
      environments: '*',
    },
    {
      id: 'staging',
      secrets: [SECRETS.staging],
      actor: { id: 'staging-bot', roles: ['ops'] },
      actions: ['push', 'promote', 'approve', 'read'],
      environments: ['staging'],
    },
  ];
}

export interface ProductionSite {
  clock: FakeClock;
  agent: Agent;
  production: Railyard;
  store: StateStore;
  blobs: BlobStore;
  served: ServedAgent;
  url: string;
  errors: unknown[];
  /** The correlation id `onError` was given with each error. */
  correlations: string[];
  close(): Promise<void>;
}

/** A production Railyard behind an agent on 127.0.0.1 (ephemeral port), with a fake clock. */
export async function startProduction(
  options: {
    limits?: Partial<AgentLimits>;
    blobs?: BlobStore;
    store?: StateStore;
    keys?: AgentKey[];
    clock?: FakeClock;
    /** Defines no environments (a second replica on a store that already has them). */
    defined?: boolean;
  } = {},
): Promise<ProductionSite> {
  const clock = options.clock ?? createFakeClock();
  const blobs = options.blobs ?? memoryBlobStore();
  const store = options.store ?? memoryStateStore();
  const production = createRailyard({ store, blobs, clock });
  if (options.defined !== true) {
    await production.environments.define({
      id: 'production',
      policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
    });
    await production.environments.define({ id: 'staging' });
  }
  const errors: unknown[] = [];
  const correlations: string[] = [];
  const agentOptions: CreateAgentOptions = {
    keys: options.keys ?? testKeys(),
    audience: AUDIENCE,
    store,
    clock,
    onError: (error, { correlationId }) => {
      errors.push(error);
      correlations.push(correlationId);
    },
    ...(options.limits ? { limits: options.limits } : {}),
  };
  const agent = createAgent(production, agentOptions);
  const served = await serveAgent(agent, { graceMs: 1_000 });
  return {
    clock,
    agent,
    production,
    store,
    blobs,
    served,
    url: served.url,
    errors,
    correlations,
    async close() {
      await served.close();
      await production.close();
    },
  };
}

/** Options of {@link signedFetch}: what to sign, and (for tampering tests) what to send instead. */
export interface SignedFetchOptions {
  method: string;
  target: string;
  body?: string | Uint8Array;
  keyId?: string;
  secret?: string;
  now: Date;
  nonce?: string;
  /** Default {@link AUDIENCE}. */
  audience?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  /** Changes applied after signing: the request that is sent differs from the one signed. */
  tamper?: { method?: string; target?: string; body?: string; headers?: Record<string, string> };
}

/** Signs a request exactly as a client would (or tampers with it after signing) and sends it. */
export async function signedFetch(base: string, options: SignedFetchOptions): Promise<Response> {
  const body = options.body;
  const contentSha256 = body === undefined ? EMPTY_SHA256 : createHash('sha256').update(body).digest('hex');
  const signature = signRequest({
    method: options.method,
    target: options.target,
    contentSha256,
    keyId: options.keyId ?? 'design',
    secret: options.secret ?? SECRETS.design,
    now: options.now,
    audience: options.audience ?? AUDIENCE,
    ...(options.nonce ? { nonce: options.nonce } : {}),
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  });
  const tamper = options.tamper ?? {};
  const sentBody = tamper.body ?? body;
  return fetch(`${base}${tamper.target ?? options.target}`, {
    method: tamper.method ?? options.method,
    headers: {
      ...(sentBody !== undefined ? { 'content-type': 'application/json' } : {}),
      ...signature,
      ...options.headers,
      ...tamper.headers,
    },
    ...(sentBody !== undefined ? { body: sentBody } : {}),
  });
}

/** sha256 digest in Railyard's form. */
export function digestOf(bytes: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
