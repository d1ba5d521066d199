import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentRequest, AgentResponse } from './exchange.js';
import { nodeBody } from './node-body.js';
import { READ_AHEAD_BYTES } from './read-ahead.js';

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Serves one `node:http` exchange with the agent's handler. The body is handed over as a stream
 * that does not destroy the socket when the handler stops reading early, so a refusal (413, 401)
 * still reaches the client; the connection is then closed rather than drained, so the rest of an
 * oversized upload is never read.
 * @internal
 */
export async function serveNode(
  handle: (request: AgentRequest) => Promise<AgentResponse>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const method = req.method ?? 'GET';
  const request: AgentRequest = {
    method,
    target: req.url ?? '/',
    header(name) {
      const value = req.headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: NO_BODY.has(method) ? null : nodeBody(req, READ_AHEAD_BYTES),
    signal: gone.signal,
  };
  const response = await handle(request);
  try {
    const headers = req.complete ? response.headers : { ...response.headers, connection: 'close' };
    res.writeHead(response.status, headers);
    const { body } = response;
    if (body === null || typeof body === 'string') {
      res.end(body ?? undefined);
      return;
    }
    res.flushHeaders();
    for await (const chunk of body) {
      if (gone.signal.aborted) break;
      if (!res.write(chunk)) await once(res, 'drain', { signal: gone.signal }).catch(() => undefined);
    }
    res.end();
  } catch {
    res.destroy();
  }
}
