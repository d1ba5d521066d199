import { randomUUID } from 'node:crypto';
import { ValidationError } from '@railyard/core/errors';
import type { Requester } from './requester.js';

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
 * POSTs a command with its `Idempotency-Key` (the caller's, or a random one). A failure that may
 * come after the agent acted is retryable only when the caller chose the key, and so can send it
 * again.
 * @internal
 */
export function sendCommand<T extends Idempotent>(
  request: Requester,
  path: string,
  input: T,
  what: string,
): Promise<Response> {
  const { body, key, retryable } = command(input);
  return request({ method: 'POST', path, json: body, what, idempotent: retryable, idempotencyKey: key });
}
