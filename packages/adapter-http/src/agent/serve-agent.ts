import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@railyard/core';
import type { Agent } from './create-agent.js';

/**
 * Options of {@link serveAgent}.
 *
 * @example
 * ```ts
 * await serveAgent(agent, { host: '127.0.0.1', port: 8080, graceMs: 30_000 });
 * ```
 */
export interface ServeAgentOptions {
  /** Default 0: an ephemeral port (read it from `url`). */
  port?: number;
  /** Default `127.0.0.1`. Expose the agent through a TLS reverse proxy, not directly. */
  host?: string;
  /** How long `close()` lets requests in flight finish before cutting them (ms). Default 10,000. */
  graceMs?: number;
  /** Serve HTTPS with this certificate chain and private key (PEM); `url` then starts with `https://`. */
  tls?: AgentTlsOptions;
  /** Logs the agent listening and closing (info). A pino logger fits as is. */
  logger?: Logger;
}

/**
 * The certificate and key an agent serves HTTPS with, both PEM.
 *
 * @example
 * ```ts
 * const tls: AgentTlsOptions = { cert: await readFile('agent.crt'), key: await readFile('agent.key') };
 * ```
 */
export interface AgentTlsOptions {
  /** The server's certificate chain (PEM). */
  cert: string | Buffer;
  /** The certificate's private key (PEM). */
  key: string | Buffer;
}

/**
 * A listening agent.
 *
 * @example
 * ```ts
 * const served: ServedAgent = await serveAgent(agent);
 * console.log(served.url);
 * await served.close();
 * ```
 */
export interface ServedAgent {
  /** The listening Node HTTP server (close it to stop the agent). */
  server: Server;
  /** `http://host:port`, the base URL for `httpTransport`. */
  url: string;
  /** Ends event streams, stops accepting connections, lets requests finish (up to `graceMs`), then resolves. */
  close(): Promise<void>;
}

/**
 * A `node:http` server for an agent, with timeouts suited to large uploads: the agent bounds
 * bodies itself (idle timeout, size caps), so Node's whole-request timeout (300 s by default,
 * which would cut a multi-gigabyte upload) is off, headers must arrive within 30 s, and headers
 * are capped at 16 KiB.
 *
 * @example
 * ```ts
 * const server = createAgentServer(agent);
 * server.listen(8080, '127.0.0.1');
 * ```
 */
export function createAgentServer(agent: Agent, tls?: AgentTlsOptions): Server {
  const options = { requestTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024 };
  if (tls) return createTlsServer({ ...options, cert: tls.cert, key: tls.key }, agent.handleNode);
  return createServer(options, agent.handleNode);
}

/**
 * Starts {@link createAgentServer} and resolves once it listens.
 *
 * @example
 * ```ts
 * const served = await serveAgent(agent, { port: 0 });
 * const transport = httpTransport({ url: served.url, keyId: 'design-site', secret });
 * await served.close();
 * ```
 */
export async function serveAgent(agent: Agent, options: ServeAgentOptions = {}): Promise<ServedAgent> {
  const server = createAgentServer(agent, options.tls);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  options.logger?.info({ url }, 'railyard agent listening');
  return {
    server,
    url,
    close() {
      options.logger?.info({ url }, 'railyard agent closing');
      agent.close();
      return new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 10_000);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
