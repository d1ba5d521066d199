import type { Transport } from '@railyard/core/adapters';
import { type AgentClient, createAgentClient } from './agent-client.js';
import type { AgentClientOptions } from './requester.js';

/**
 * The design site's {@link Transport} to a production site's agent, with the agent's extra calls
 * (`events`, `plan`, …) as `client`.
 *
 * @example
 * ```ts
 * const transport: HttpTransport = httpTransport({ url, keyId: 'design-site', secret });
 * for await (const entry of transport.client.events()) console.log(entry.type);
 * ```
 */
export interface HttpTransport extends Transport {
  /** The agent client the transport calls through. */
  readonly client: AgentClient;
}

/**
 * A {@link Transport} over HTTP to an agent made with `createAgent`: `missingBlobs` asks with HEAD
 * (so only what the agent lacks is sent), `pushBlob` streams the bytes signed by their digest,
 * `pushBundle`/`pushSignature` PUT JSON, `promote` POSTs with the idempotency key the engine
 * chose (so a retried request promotes once), and `getDeployment` reads the remote status the
 * design site's worker follows. Every request is signed with the key and sent once; failures
 * are classified (network errors, 408, 429 with `Retry-After`, 5xx are `retryable`) and the
 * core retries them with back-off, except a streamed blob, which cannot be replayed: promote
 * again and only the blobs still missing are sent.
 *
 * @example
 * ```ts
 * const design = createRailyard({
 *   store, blobs,
 *   transport: httpTransport({ url: 'https://railyard.prod.example.com', keyId: 'design-site', secret: process.env.RAILYARD_KEY_SECRET! }),
 * });
 * await design.environments.define({ id: 'production', remote: true });
 * await design.promote({ bundle: bundle.id, to: 'production', by: alice, idempotencyKey: 'churn-1.4.0' });
 * ```
 */
export function httpTransport(options: AgentClientOptions): HttpTransport {
  const client = createAgentClient(options);
  return {
    client,
    missingBlobs: (digests) => client.missingBlobs(digests),
    pushBlob: (blob, source) => client.pushBlob(blob, source),
    pushBundle: (manifest) => client.pushBundle(manifest),
    pushSignature: (signature) => client.pushSignature(signature),
    promote: (request) => client.promote(request),
    getDeployment: (id) => client.getDeployment(id),
  };
}
