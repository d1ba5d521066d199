import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { withSession } from '../cli/session.js';
import { usageError } from '../output/usage-error.js';

/** `gc [--dry-run]`: remove bundles and blobs no environment needs any more. */
export function registerGc(program: Command, deps: CliDeps): void {
  const gc = program
    .command('gc')
    .description('remove bundles and blobs no environment needs (active, in flight and recent rollback targets stay)')
    .option('--dry-run', 'say what would be removed, and remove nothing')
    .option('--keep <n>', 'earlier bundles to keep per environment as rollback targets (default 3)')
    .action((options: { dryRun?: boolean; keep?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by }) => {
        const keep = options.keep === undefined ? undefined : Number(options.keep);
        if (keep !== undefined && !(Number.isInteger(keep) && keep >= 0))
          throw usageError(`--keep ${options.keep} is not a whole number of bundles.`);
        const dryRun = Boolean(options.dryRun);
        const result = await site.gc({ dryRun, by, ...(keep === undefined ? {} : { keep }) });
        out.result({ dryRun, ...result }, () => {
          const verb = dryRun ? 'Would remove' : 'Removed';
          return [
            `${verb} ${result.removedBundles.length} bundle(s) and ${result.removedBlobs.length} blob(s); ${result.keptBundles} bundle(s) kept.`,
            ...result.removedBundles.map((id) => `  ${id}`),
          ].join('\n');
        });
      }),
    );
  examples(gc, 'railyard gc --dry-run', 'railyard gc --keep 5');
}
