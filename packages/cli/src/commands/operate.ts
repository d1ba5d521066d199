import type { Command } from 'commander';
import { confirmAction } from '../cli/confirm.js';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { withSession } from '../cli/session.js';
import { deploymentText } from '../output/format-records.js';
import { when } from '../output/time.js';

/** `rollback <env>` and `resume <env>`: an operator's hands on an environment. */
export function registerOperate(program: Command, deps: CliDeps): void {
  const rollback = program
    .command('rollback <env>')
    .description('restore an earlier deployment (default: the one the active one replaced)')
    .requiredOption('--reason <text>', 'why, recorded in the journal')
    .option('--to <deployment>', 'the earlier deployment whose snapshot to restore')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--no-wait', 'only record the rollback; do not drive it here')
    .action((env: string, options: { reason: string; to?: string; yes?: boolean; wait: boolean }, command: Command) =>
      withSession(deps, command, async (session) => {
        const { site, out, now, by } = session;
        if (!options.yes) {
          const environment = await site.environment(env);
          const active = environment.active;
          out.note(
            `${env} runs ${active ? `${active.snapshot.version} (${active.deploymentId}) since ${when(active.since, now)}` : 'nothing'}; rolling back to ${options.to ?? 'the deployment it replaced'}.`,
          );
          if (options.to) out.note(deploymentText(await site.deployment(options.to), out.errStyle, now));
        }
        await confirmAction(session, `Roll back ${env}?`, options.yes);
        const deployment = await site.rollback(env, { to: options.to, reason: options.reason, by, wait: options.wait });
        out.result(
          { deployment },
          () => `Rolling back with ${deployment.id}\n${deploymentText(deployment, out.style, now)}`,
        );
      }),
    );
  examples(
    rollback,
    'railyard rollback production --reason "error rate 12%"',
    'railyard rollback production --to production/000002 --reason "restore Q2 model" --yes',
  );

  const resume = program
    .command('resume <env>')
    .description('resume a halted environment (automatic rollbacks stopped it)')
    .option('--reason <text>', 'why, recorded in the journal')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--no-wait', 'only record it; do not drive queued work here')
    .action((env: string, options: { reason?: string; yes?: boolean; wait: boolean }, command: Command) =>
      withSession(deps, command, async (session) => {
        const { site, out, by } = session;
        if (!options.yes) {
          const environment = await site.environment(env);
          out.note(
            `${env} is ${environment.status}${environment.statusReason ? ` — ${environment.statusReason}` : ''}.`,
          );
        }
        await confirmAction(session, `Resume ${env}?`, options.yes);
        const environment = await site.resume(env, { reason: options.reason, by, wait: options.wait });
        out.result({ environment }, () => `Resumed ${env}: ${environment.status}`);
      }),
    );
  examples(resume, 'railyard resume production --reason "root cause fixed" --yes');
}
