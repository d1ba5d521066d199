import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { withSession } from '../cli/session.js';
import { parseDuration, when } from '../output/time.js';
import { usageError } from '../output/usage-error.js';

/** `silence <env> <monitor> --for <duration> --reason`. */
export function registerMonitors(program: Command, deps: CliDeps): void {
  const silence = program
    .command('silence <env> <monitor>')
    .description("silence a monitor for a while: it still runs, but cannot fail the environment's deployments")
    .requiredOption('--for <duration>', 'how long: 30m, 2h, 1d')
    .requiredOption('--reason <text>', 'why, recorded in the journal')
    .action((env: string, monitor: string, options: { for: string; reason: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by, now }) => {
        const ms = parseDuration(options.for);
        if (ms === null || ms <= 0) throw usageError(`--for "${options.for}" is not a duration like 30m, 2h or 1d.`);
        const result = await site.silence({
          environment: env,
          monitor,
          until: new Date(now + ms).toISOString(),
          reason: options.reason,
          by,
        });
        out.result({ silence: result }, () => `Silenced ${monitor} on ${env} until ${when(result.until, now)}.`);
      }),
    );
  examples(silence, 'railyard silence production error-rate --for 2h --reason "planned load test"');
}
