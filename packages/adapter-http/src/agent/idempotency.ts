import { createHash } from 'node:crypto';
import { AdapterError, IdempotencyConflictError, isRailyardError, ValidationError } from '@railyard/core/errors';
import type { RouteContext } from './context.js';
import type { AgentResponse } from './exchange.js';

/** The record kind the agent keeps its answers under. */
const KIND = 'agent-idempotency';

/** How long a command may run before a repeat is allowed to take it over (its process died). */
const PENDING_MS = 5 * 60_000;

type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; startedAt: number; expiresAt: number }
  | { state: 'done'; fingerprint: string; status: number; body: string; expiresAt: number };

function inProgress(key: string): AdapterError {
  return new AdapterError(
    `A request with Idempotency-Key "${key}" is still running: retry in a moment to get its answer.`,
    { retryable: true, details: { httpStatus: 409, reason: 'idempotency-in-progress', retryAfterSeconds: 1 } },
  );
}

/**
 * Runs a command once per `Idempotency-Key` (scoped by audience and agent key) and answers every
 * repeat with the first answer, kept in the agent's state store for `limits.idempotencyTtlMs`.
 * The key is taken first with a compare-and-swap write (`pending`), so two racing repeats never
 * both run; the answer replaces it. A command that fails is not remembered (the key is released):
 * fix the cause and send it again. The same key with another method, path or body is refused with
 * `IDEMPOTENCY_CONFLICT`. A pending key whose process died is taken over after five minutes.
 * @internal
 */
export async function once(context: RouteContext, run: () => Promise<AgentResponse>): Promise<AgentResponse> {
  const key = context.idempotencyKey;
  if (!key)
    throw new ValidationError(
      `${context.request.method} ${context.request.target.split('?')[0]} changes state: send an Idempotency-Key header (a value unique to this command, reused when you retry it) so that a retry never acts twice.`,
      { details: { httpStatus: 428, reason: 'missing-idempotency-key' } },
    );
  const { store, options, report } = context.agent;
  const { audience, clock, limits } = options;
  const id = `${audience}/${context.key.id}/${key}`;
  const fingerprint = createHash('sha256')
    .update(`${context.request.method}\n${context.request.target}\n${context.contentSha256}`)
    .digest('hex');
  const now = clock.now().getTime();
  const existing = await store.get(KIND, id);
  if (existing) {
    const record = existing.value as IdempotencyRecord;
    if (record.expiresAt > now) {
      if (record.fingerprint !== fingerprint)
        throw new IdempotencyConflictError(
          `Idempotency-Key "${key}" was first used for another request (another method, path or body): use a new key for a different command.`,
          { details: { idempotencyKey: key } },
        );
      if (record.state === 'done')
        return {
          status: record.status,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'no-store',
            'idempotent-replayed': 'true',
          },
          body: record.body,
        };
      if (now - record.startedAt < PENDING_MS) throw inProgress(key);
    }
  }
  const pending: IdempotencyRecord = {
    state: 'pending',
    fingerprint,
    startedAt: now,
    expiresAt: now + limits.idempotencyTtlMs,
  };
  let version: number;
  try {
    const result = await store.commit({
      writes: [{ kind: KIND, id, expectedVersion: existing?.version ?? null, value: pending }],
      journal: [],
    });
    version = result.versions[0] ?? 1;
  } catch (error) {
    if (isRailyardError(error, 'VERSION_CONFLICT')) throw inProgress(key);
    throw error;
  }
  let response: AgentResponse;
  try {
    response = await run();
  } catch (error) {
    await store
      .commit({ writes: [{ kind: KIND, id, expectedVersion: version, value: null }], journal: [] })
      .catch((release: unknown) => report(release, { correlationId: context.correlationId }));
    throw error;
  }
  if (typeof response.body === 'string') {
    const done: IdempotencyRecord = {
      state: 'done',
      fingerprint,
      status: response.status,
      body: response.body,
      expiresAt: pending.expiresAt,
    };
    // The command has acted: a failure to keep its answer is logged, never turned into an error answer.
    await store
      .commit({ writes: [{ kind: KIND, id, expectedVersion: version, value: done }], journal: [] })
      .catch((save: unknown) => report(save, { correlationId: context.correlationId }));
  }
  return response;
}
