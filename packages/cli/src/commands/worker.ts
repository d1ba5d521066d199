import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import type { GlobalOptions } from '../cli/session.js';
import { loadConfig } from '../config/load-config.js';
import { holdStore, untilSignal } from '../holder/hold-store.js';
import { createLogger } from '../holder/logger.js';
import { usageError } from '../output/usage-error.js';
import { openLocalRailyard } from '../site/local-site.js';

/** `worker`: the background worker as a long-running process that holds the store. */
export function registerWorker(program: Command, deps: CliDeps): void {
  const worker = program
    .command('worker')
    .description(
      'run the background worker until SIGTERM/SIGINT; other railyard commands here reach it through .railyard/railyard.sock',
    )
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (globals.site)
        throw usageError(
          "railyard worker runs on this site's own stores; drop --site (run it on the production host).",
        );
      const loaded = await loadConfig(deps.cwd, globals.config);
      const log = createLogger(deps.stdout);
      const { railyard } = await openLocalRailyard(loaded.config, loaded.root);
      const held = await holdStore(railyard, loaded.root, log).catch(async (error: unknown) => {
        await railyard.close();
        throw error;
      });
      log.info('worker.started', { pid: process.pid, socket: held.socket, root: loaded.root });
      const signal = await untilSignal();
      await held.stop(signal);
    });
  examples(worker, 'railyard worker', 'railyard worker > worker.log   # JSON lines when not a terminal');
}
