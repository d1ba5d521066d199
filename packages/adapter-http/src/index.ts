/**
 * Railyard over HTTP: the agent a production site runs (`createAgent`), the design site's
 * transport to it (`httpTransport`), an operator's client (`createAgentClient`), request signing,
 * signed webhooks (`webhookNotifier`), and a sink for signed journal checkpoints (`httpCheckpointSink`).
 * @packageDocumentation
 */

export type { AgentSite } from './agent/context.js';
export { type Agent, type CreateAgentOptions, createAgent } from './agent/create-agent.js';
export type { AgentErrorReporter } from './agent/exchange.js';
export {
  AGENT_ACTIONS,
  type AgentAction,
  type AgentKey,
  type AgentLimits,
  type AgentOptions,
  DEFAULT_AGENT_LIMITS,
} from './agent/options.js';
export {
  type AgentTlsOptions,
  createAgentServer,
  type ServeAgentOptions,
  type ServedAgent,
  serveAgent,
} from './agent/serve-agent.js';
export { type HttpCheckpointSinkOptions, httpCheckpointSink } from './checkpoints/http-checkpoint-sink.js';
export { type AgentClient, createAgentClient } from './client/agent-client.js';
export type { Idempotent } from './client/command.js';
export type { FollowEventsOptions } from './client/event-source.js';
export { type HttpTransport, httpTransport } from './client/http-transport.js';
export type { AgentClientOptions } from './client/requester.js';
export type { HttpRefusalReason } from './errors.js';
export {
  canonicalRequest,
  EMPTY_SHA256,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADERS,
  SIGNATURE_SCHEME,
  type SignedParts,
} from './signing/canonical.js';
export { type SignRequestInput, signRequest } from './signing/sign-request.js';
export { signWebhook, verifyWebhook, webhookSecretBytes } from './webhook/standard-webhooks.js';
export { type WebhookNotifierOptions, type WebhookPayload, webhookNotifier } from './webhook/webhook-notifier.js';
