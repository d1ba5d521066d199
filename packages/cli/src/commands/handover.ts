import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { withSession } from '../cli/session.js';
import { when } from '../output/time.js';
import type { HandoverView } from '../site/site.js';

function handoverText({ handover, history }: HandoverView, now: number): string {
  if (!handover) return 'No handover accepted yet.';
  const head =
    handover.status === 'accepted'
      ? `accepted by ${handover.by.id} ${when(handover.at, now)} for ${handover.version}: ${handover.comment}`
      : `withdrawn by ${handover.withdrawn.by.id} ${when(handover.withdrawn.at, now)}: ${handover.withdrawn.reason}`;
  const card = handover.card;
  return [
    `${handover.project} in ${handover.environment}: ${head}`,
    `  card ${handover.cardDigest}`,
    `    purpose: ${card.purpose}`,
    `    owners: ${card.owners.map((o) => `${o.name} <${o.contact}>`).join('; ')}`,
    `    risks: ${card.risks.join('; ') || '(none)'}`,
    'History:',
    ...history.map((h) => `  ${h.at} ${h.action} by ${h.by.id} (${h.cardDigest.slice(0, 19)}…): ${h.comment}`),
  ].join('\n');
}

/** `handover show|accept|withdraw <env> <project>`: an environment's owners take on a project. */
export function registerHandover(program: Command, deps: CliDeps): void {
  const handover = program
    .command('handover')
    .description("an environment's owners accept a project's card before it runs there (docs/handover.md)");

  const show = handover
    .command('show <env> <project>')
    .description('the accepted card, and who accepted or withdrew it when')
    .action((env: string, project: string, _options: unknown, command: Command) =>
      withSession(deps, command, async ({ site, out, now }) => {
        const view = await site.handover({ environment: env, project });
        out.result(view, () => handoverText(view, now));
      }),
    );
  examples(show, 'railyard handover show production churn-model');

  const accept = handover
    .command('accept <env> <project>')
    .description("accept the project's card (its digest, as `railyard plan` shows it) for the environment's owners")
    .requiredOption('--card <digest>', 'the card digest you reviewed (sha256:…)')
    .requiredOption('--comment <text>', 'what was agreed, recorded in the journal')
    .action((env: string, project: string, options: { card: string; comment: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by }) => {
        const accepted = await site.acceptHandover({
          environment: env,
          project,
          cardDigest: options.card,
          comment: options.comment,
          by,
        });
        out.result({ handover: accepted }, () => `Accepted ${project} in ${env} (card ${accepted.cardDigest}).`);
      }),
    );
  examples(accept, 'railyard --as ines handover accept production churn-model --card sha256:… --comment "reviewed"');

  const withdraw = handover
    .command('withdraw <env> <project>')
    .description("withdraw the acceptance: the project's next promotion waits for a new one")
    .requiredOption('--reason <text>', 'why, recorded in the journal')
    .action((env: string, project: string, options: { reason: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by }) => {
        const withdrawn = await site.withdrawHandover({ environment: env, project, reason: options.reason, by });
        out.result({ handover: withdrawn }, () => `Withdrew the handover of ${project} in ${env}.`);
      }),
    );
  examples(withdraw, 'railyard --as ines handover withdraw production churn-model --reason "owners left"');
}
