import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { journalDamaged } from '../cli/integrity-error.js';
import { outputOf, withSession } from '../cli/session.js';
import { verifyOfflineStore } from '../journal/verify-offline.js';
import { parseDuration } from '../output/time.js';
import { usageError } from '../output/usage-error.js';

/** `--since` as an ISO instant: an instant, or a duration back from now (`2h`, `7d`). */
function sinceInstant(since: string | undefined, now: number): string | undefined {
  if (since === undefined) return undefined;
  const duration = parseDuration(since);
  if (duration !== null) return new Date(now - duration).toISOString();
  const at = Date.parse(since);
  if (Number.isNaN(at))
    throw usageError(`--since "${since}" is neither an instant (2026-05-01T10:00:00Z) nor a duration (2h, 7d).`);
  return new Date(at).toISOString();
}

/** `journal verify` and `journal export`: the hash-chained record of every transition. */
export function registerJournal(program: Command, deps: CliDeps): void {
  const journal = program.command('journal').description('verify and export the tamper-evident journal');

  const verify = journal
    .command('verify')
    .description('re-hash the whole journal chain (exit 5 naming the first bad entry when damaged)')
    .option('--offline <dir>', "a file store's state directory to check without opening it for writing")
    .action((options: { offline?: string }, command: Command) => {
      const report = (verification: Awaited<ReturnType<typeof verifyOfflineStore>>, where: string) => {
        if (!verification.ok) throw journalDamaged(verification.problem, where);
        outputOf(deps, command).result(
          { verification },
          () =>
            `The journal of ${where} is intact: ${verification.entries} entries, head ${verification.head.seq} ${verification.head.hash}.`,
        );
      };
      if (options.offline !== undefined) {
        const dir = resolve(deps.cwd, options.offline);
        return verifyOfflineStore(dir).then((verification) => report(verification, dir));
      }
      return withSession(deps, command, async ({ site }) => report(await site.verifyJournal(), 'this site'));
    });
  examples(verify, 'railyard journal verify', 'railyard journal verify --offline /backups/railyard/state');

  const exportCommand = journal
    .command('export')
    .description('print journal entries as JSON lines, oldest first')
    .option('--since <when>', 'only entries at or after an instant (2026-05-01T00:00:00Z) or a duration ago (24h)')
    .option('--format <format>', 'the output format (only jsonl)', 'jsonl')
    .action((options: { since?: string; format: string }, command: Command) =>
      withSession(deps, command, async ({ site, now }) => {
        if (options.format !== 'jsonl')
          throw usageError(`--format ${options.format} is not supported; use --format jsonl.`);
        const since = sinceInstant(options.since, now);
        const entries = await site.exportJournal(since ? { since } : {});
        for (const entry of entries) deps.stdout.write(`${JSON.stringify(entry)}\n`);
      }),
    );
  examples(
    exportCommand,
    'railyard journal export --format jsonl > journal.jsonl',
    'railyard journal export --since 24h',
  );
}
