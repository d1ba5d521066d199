import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AgentKey } from '@railyard/adapter-http';
import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import type { GlobalOptions } from '../cli/session.js';
import { loadConfig } from '../config/load-config.js';
import { holdStore, untilSignal } from '../holder/hold-store.js';
import { createLogger } from '../holder/logger.js';
import { usageError } from '../output/usage-error.js';
import { openLocalRailyard } from '../site/local-site.js';

interface ServeOptions {
  port: string;
  host: string;
  audience?: string;
  keys?: string;
  cert?: string;
  key?: string;
}

/** The agent's keys: `--keys <file.json>`, else the JSON in RAILYARD_AGENT_KEYS. */
async function readKeys(file: string | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<AgentKey[]> {
  let text: string;
  let where: string;
  if (file !== undefined) {
    where = resolve(cwd, file);
    text = await readFile(where, 'utf8').catch((error: Error) => {
      throw usageError(`Cannot read the keys file ${where}: ${error.message}.`);
    });
  } else if (env.RAILYARD_AGENT_KEYS) {
    where = 'RAILYARD_AGENT_KEYS';
    text = env.RAILYARD_AGENT_KEYS;
  } else {
    throw usageError('The agent needs keys: pass --keys <file.json> or set RAILYARD_AGENT_KEYS to the same JSON.');
  }
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch (error) {
    throw usageError(`${where} is not JSON: ${(error as Error).message}.`);
  }
  if (!Array.isArray(keys))
    throw usageError(`${where} must hold a JSON array of keys (see docs/http.md#keys-and-roles).`);
  return keys as AgentKey[];
}

async function readTls(options: ServeOptions, cwd: string): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (options.cert === undefined && options.key === undefined) return undefined;
  if (options.cert === undefined || options.key === undefined) throw usageError('TLS needs both --cert and --key.');
  const read = (file: string) =>
    readFile(resolve(cwd, file)).catch((error: Error) => {
      throw usageError(`Cannot read ${file}: ${error.message}.`);
    });
  return { cert: await read(options.cert), key: await read(options.key) };
}

/** Clients sign for the origin of the URL they call: by default, the one this agent listens on. */
function defaultAudience(options: ServeOptions, port: number, tls: unknown): string {
  if (port === 0) {
    throw usageError('With --port 0 the address is not known in advance: pass --audience (the URL clients call).');
  }
  return `${tls ? 'https' : 'http'}://${options.host}:${port}`;
}

/** `agent serve`: the production site's agent, from the config, until SIGTERM/SIGINT. */
export function registerAgent(program: Command, deps: CliDeps): void {
  const agent = program.command('agent').description("a production site's HTTP agent");
  const serve = agent
    .command('serve')
    .description(
      'serve this site to design sites and operators over HTTP(S); it also runs the worker and the local socket',
    )
    .option('--port <n>', 'the port to listen on (0: any free port)', '8080')
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .option('--keys <file.json>', 'the agent keys (default: the JSON in RAILYARD_AGENT_KEYS)')
    .option(
      '--audience <name>',
      'the name clients sign requests for (default: RAILYARD_AGENT_AUDIENCE, else http(s)://host:port)',
    )
    .option('--cert <file>', 'serve HTTPS with this certificate chain (PEM); needs --key')
    .option('--key <file>', 'the private key of --cert (PEM)')
    .action(async (options: ServeOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (globals.site) throw usageError('railyard agent serve serves this site; drop --site.');
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw usageError(`--port ${options.port} is not a port number.`);
      const keys = await readKeys(options.keys, deps.cwd, deps.env);
      const tls = await readTls(options, deps.cwd);
      const loaded = await loadConfig(deps.cwd, globals.config);
      const log = createLogger(deps.stdout);
      // The HTTP agent loads only for this command.
      const { createAgent, serveAgent } = await import('@railyard/adapter-http');
      const audience = options.audience ?? deps.env.RAILYARD_AGENT_AUDIENCE ?? defaultAudience(options, port, tls);
      const { railyard, store } = await openLocalRailyard(loaded.config, loaded.root);
      let held: Awaited<ReturnType<typeof holdStore>> | undefined;
      try {
        const created = createAgent(railyard, {
          keys,
          audience,
          store,
          onError: (error) =>
            log.error('agent.error', { message: error instanceof Error ? error.message : String(error) }),
        });
        held = await holdStore(railyard, loaded.root, log);
        const served = await serveAgent(created, { port, host: options.host, ...(tls ? { tls } : {}) });
        log.info('agent.started', {
          pid: process.pid,
          url: served.url,
          socket: held.socket,
          keys: keys.map((k) => k.id),
        });
        const signal = await untilSignal();
        log.info('agent.stopping', { signal });
        await served.close();
        await held.stop(signal);
      } catch (error) {
        if (held) await held.stop('error');
        else await railyard.close();
        throw error;
      }
    });
  examples(
    serve,
    'railyard agent serve --keys keys.json --port 8080',
    'RAILYARD_AGENT_KEYS="$(cat keys.json)" railyard agent serve --host 0.0.0.0 --port 8443 --cert agent.crt --key agent.key',
  );
}
