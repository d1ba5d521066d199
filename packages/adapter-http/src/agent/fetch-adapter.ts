import type { AgentRequest, AgentResponse } from './exchange.js';
import { READ_AHEAD_BYTES, readAhead } from './read-ahead.js';

/**
 * Serves one WHATWG `Request` with the agent's handler. The target that was signed is the URL's
 * path and query as the client sent them.
 * @internal
 */
export async function serveFetch(
  handle: (request: AgentRequest) => Promise<AgentResponse>,
  request: Request,
): Promise<Response> {
  const url = new URL(request.url);
  const body = request.body;
  const response = await handle({
    method: request.method.toUpperCase(),
    target: url.pathname + url.search,
    header: (name) => request.headers.get(name),
    body: body ? readAhead(readerIterable(body), READ_AHEAD_BYTES) : null,
    signal: request.signal,
  });
  const payload = request.method.toUpperCase() === 'HEAD' ? null : response.body;
  return new Response(typeof payload === 'string' || payload === null ? payload : textStream(payload), {
    status: response.status,
    headers: response.headers,
  });
}

/**
 * A web stream as an async iterable whose `return()` cancels the stream at once, even while a read
 * is pending (an async generator would wait for that read first).
 */
function readerIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const reader = stream.getReader();
      return {
        next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
        async return() {
          await reader.cancel().catch(() => undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}

function textStream(source: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
