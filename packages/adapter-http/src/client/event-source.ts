import { type Clock, type JournalEntry, JournalEntrySchema } from '@railyard/core';
import { AdapterError, isRailyardError } from '@railyard/core/errors';
import type { Requester } from './requester.js';

/** How long to wait before reconnecting a dropped stream (the `retry:` the agent announces). */
const RECONNECT_DELAY_MS = 1_000;

/** One server-sent event. @internal */
export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Parses a `text/event-stream` body into events (comments and `retry:` lines are skipped).
 * @internal
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let event: { id?: string; event?: string; data: string[] } = { data: [] };
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line === '') {
          if (event.data.length > 0)
            yield {
              ...(event.id !== undefined ? { id: event.id } : {}),
              event: event.event ?? 'message',
              data: event.data.join('\n'),
            };
          event = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(value);
        else if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Options of `AgentClient.events`.
 *
 * @example
 * ```ts
 * for await (const entry of client.events({ after: 41, signal: AbortSignal.timeout(60_000) })) console.log(entry.seq);
 * ```
 */
export interface FollowEventsOptions {
  /** Start after this journal sequence number (default 0: from the beginning). */
  after?: number;
  /** Stops following; the iteration then ends. */
  signal?: AbortSignal;
  /** Reconnect when the stream drops (default `true`), resuming after the last entry seen. */
  reconnect?: boolean;
}

/**
 * Follows the agent's journal event stream, validating every entry, resuming after the last one
 * seen when the connection drops (each reconnect is a freshly signed request).
 * @internal
 */
export async function* followEvents(
  request: Requester,
  clock: Clock,
  options: FollowEventsOptions,
): AsyncGenerator<JournalEntry> {
  let after = options.after ?? 0;
  while (!options.signal?.aborted) {
    let response: Response;
    try {
      response = await request({
        method: 'GET',
        path: `/v1/events?after=${after}`,
        unbounded: true,
        what: 'Following the event stream',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
    if (!response.body) throw new AdapterError('The agent answered the event stream without a body.');
    try {
      for await (const message of parseEventStream(response.body)) {
        if (message.event !== 'journal') continue;
        const parsed = JournalEntrySchema.safeParse(JSON.parse(message.data));
        if (!parsed.success)
          throw new AdapterError(
            'The agent sent a journal entry that does not match the schema: upgrade both sites to the same Railyard version.',
          );
        after = parsed.data.seq;
        yield parsed.data;
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      if (isRailyardError(error)) throw error;
      // A dropped connection: resume below unless told not to.
    }
    if (options.reconnect === false) return;
    await clock.sleep(RECONNECT_DELAY_MS, options.signal).catch(() => undefined);
  }
}
