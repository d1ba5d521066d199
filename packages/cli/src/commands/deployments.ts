import type { Command } from 'commander';
import { confirmAction } from '../cli/confirm.js';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { type Session, withSession } from '../cli/session.js';
import { deploymentText } from '../output/format-records.js';

interface WaitOptions {
  wait: boolean;
}

/** After a command that starts work: the deployment, and where it now waits. */
function printDeployment(session: Session, verb: string, deployment: Parameters<typeof deploymentText>[0]): void {
  const { out, now } = session;
  out.result({ deployment }, () => `${verb} ${deployment.id}\n${deploymentText(deployment, out.style, now)}`);
}

/** Shows the plan of a deployment before a decision on it (on the terminal, not in JSON). */
async function showTarget(session: Session, id: string): Promise<void> {
  const { site, out, now } = session;
  const deployment = await site.deployment(id);
  out.note(deploymentText(deployment, out.errStyle, now));
  const plan = await site.plan({ deployment: deployment.id }).catch(() => null);
  if (plan) out.note(`\n${plan.text}\n`);
}

/** `promote`, `plan`, `approve`, `reject`, `cancel`, `abandon`. */
export function registerDeployments(program: Command, deps: CliDeps): void {
  const promote = program
    .command('promote <bundle>')
    .description('request the promotion of a bundle (id, id prefix or project@version) to an environment')
    .requiredOption('--to <env>', 'the environment to promote to')
    .option('--reason <text>', 'why, recorded in the journal')
    .option('--no-wait', 'only record the request; do not drive it here')
    .action((bundle: string, options: { to: string; reason?: string } & WaitOptions, command: Command) =>
      withSession(deps, command, async (session) => {
        const { site, by } = session;
        const deployment = await site.promote({
          bundle,
          to: options.to,
          reason: options.reason,
          by,
          wait: options.wait,
        });
        printDeployment(session, 'Requested', deployment);
      }),
    );
  examples(
    promote,
    'railyard promote churn@1.2.0 --to production --reason "Q3 retrain"',
    'railyard promote 9f86d081 --to staging --no-wait',
  );

  const plan = program
    .command('plan <target>')
    .description('what a deployment (or a bundle, with --to) would change, and the gates it must pass')
    .option('--to <env>', 'plan a bundle (id, id prefix or project@version) for this environment')
    .action((target: string, options: { to?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        const planned = options.to
          ? await site.plan({ bundle: target, to: options.to })
          : await site.plan({ deployment: target });
        out.result({ plan: planned }, () => planned.text);
      }),
    );
  examples(plan, 'railyard plan production/000004', 'railyard plan churn@1.2.0 --to production');

  const approve = program
    .command('approve <deployment>')
    .description('approve a deployment that awaits approval (shows it and asks first on a terminal)')
    .option('--comment <text>', 'a comment recorded with the approval')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--no-wait', 'only record the approval; do not drive the deployment here')
    .action((id: string, options: { comment?: string; yes?: boolean } & WaitOptions, command: Command) =>
      withSession(deps, command, async (session) => {
        if (!options.yes) await showTarget(session, id);
        await confirmAction(session, `Approve ${id}?`, options.yes);
        const deployment = await session.site.approve(id, {
          comment: options.comment,
          by: session.by,
          wait: options.wait,
        });
        printDeployment(session, 'Approved', deployment);
      }),
    );
  examples(
    approve,
    'railyard --as olivia approve production/000004 --comment "metrics reviewed"',
    'railyard approve production/000004 --yes --json',
  );

  const reject = program
    .command('reject <deployment>')
    .description('reject a deployment that awaits approval (shows it and asks first on a terminal)')
    .requiredOption('--comment <text>', 'why it is rejected')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((id: string, options: { comment: string; yes?: boolean }, command: Command) =>
      withSession(deps, command, async (session) => {
        if (!options.yes) await showTarget(session, id);
        await confirmAction(session, `Reject ${id}?`, options.yes);
        printDeployment(
          session,
          'Rejected',
          await session.site.reject(id, { comment: options.comment, by: session.by }),
        );
      }),
    );
  examples(reject, 'railyard reject production/000004 --comment "drift on segment B"');

  const cancel = program
    .command('cancel <deployment>')
    .description('cancel a deployment that has not started (your own, or any as an operator)')
    .option('--reason <text>', 'why, recorded in the journal')
    .action((id: string, options: { reason?: string }, command: Command) =>
      withSession(deps, command, async (session) => {
        printDeployment(
          session,
          'Cancelled',
          await session.site.cancel(id, { reason: options.reason, by: session.by }),
        );
      }),
    );
  examples(cancel, 'railyard cancel production/000005 --reason "wrong bundle"');

  const abandon = program
    .command('abandon <deployment>')
    .description('abandon a deployment stuck in flight, freeing the environment (operators only)')
    .option('--reason <text>', 'why, recorded in the journal')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((id: string, options: { reason?: string; yes?: boolean }, command: Command) =>
      withSession(deps, command, async (session) => {
        if (!options.yes) await showTarget(session, id);
        await confirmAction(session, `Abandon ${id}?`, options.yes);
        printDeployment(
          session,
          'Abandoned',
          await session.site.abandon(id, { reason: options.reason, by: session.by }),
        );
      }),
    );
  examples(abandon, 'railyard abandon production/000004 --reason "host lost" --yes');
}
