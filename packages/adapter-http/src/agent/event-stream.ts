import type { JournalEntry } from '@railyard/core';
import { busy } from '../errors.js';
import { type RouteContext, seesEnvironment } from './context.js';
import type { AgentResponse } from './exchange.js';

/**
 * The journal as server-sent events: every entry after `after` the key may see (entries of its
 * environments; all entries for a key with `'*'`), then each new one as it is committed. The event
 * id is the entry's `seq`, so a client resumes with `Last-Event-ID` (or `?after=`). Entries
 * committed by other processes sharing the store arrive within `limits.eventPollMs`, which is also
 * the keep-alive interval.
 * @internal
 */
export function eventStream(context: RouteContext, after: number): AgentResponse {
  const { agent, key, request } = context;
  const { limits } = agent.options;
  if (agent.streams.active >= limits.maxEventStreams)
    throw busy(`${agent.streams.active} event streams are open (limits.maxEventStreams)`, 5);
  const signal = AbortSignal.any([request.signal, agent.closed]);
  const visible = (entry: JournalEntry) => seesEnvironment(key, entry.environment);
  return {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
    body: follow(context, after, visible, signal),
  };
}

async function* follow(
  context: RouteContext,
  after: number,
  visible: (entry: JournalEntry) => boolean,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const { railyard, options, streams } = context.agent;
  // Counted from the first read, so that a stream whose body is never read holds no slot.
  streams.active++;
  let last = after;
  let dirty = true;
  let wake: (() => void) | undefined;
  const off = railyard.events.on('journal.appended', () => {
    dirty = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    yield `retry: 1000\n\n`;
    while (!signal.aborted) {
      dirty = false;
      for await (const entry of railyard.journal.read({ after: last })) {
        if (signal.aborted) return;
        last = entry.seq;
        if (visible(entry)) yield `id: ${entry.seq}\nevent: journal\ndata: ${JSON.stringify(entry)}\n\n`;
      }
      if (dirty) continue;
      const timer = new AbortController();
      const ticked = await new Promise<boolean>((resolve) => {
        wake = () => resolve(false);
        if (signal.aborted) resolve(false);
        options.clock.sleep(options.limits.eventPollMs, timer.signal).then(
          () => resolve(true),
          () => resolve(false),
        );
      });
      wake = undefined;
      timer.abort();
      if (ticked && !dirty) yield ': keep-alive\n\n';
    }
  } finally {
    off();
    signal.removeEventListener('abort', onAbort);
    streams.active--;
  }
}
