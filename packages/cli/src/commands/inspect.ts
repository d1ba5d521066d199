import { formatTimeline } from '@railyard/core';
import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { withSession } from '../cli/session.js';
import { deploymentsTable, environmentsStatusText, healthText } from '../output/format-records.js';
import { parseDuration } from '../output/time.js';
import { usageError } from '../output/usage-error.js';

/** `--since` as an ISO instant: an ISO date/time, or a duration back from now (`2h`, `7d`). */
function sinceInstant(text: string, now: number): string {
  const back = parseDuration(text);
  if (back !== null) return new Date(now - back).toISOString();
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw usageError(`--since "${text}" is neither a duration (90m, 2h, 7d) nor a date (2026-05-01).`);
  return new Date(at).toISOString();
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw usageError(`--limit "${text}" must be a whole number from 1 to 10000.`);
  return n;
}

/** `status`, `history`, `timeline`, `explain`, `health`: reading, never changing. */
export function registerInspect(program: Command, deps: CliDeps): void {
  const status = program
    .command('status [env]')
    .description('each environment: active version, in-flight deployment and state, queue, health, halted')
    .action((env: string | undefined, _options, command: Command) =>
      withSession(deps, command, async ({ site, out, now }) => {
        const environments = await site.status(env);
        out.result({ environments }, () => environmentsStatusText(environments, out.style, now));
      }),
    );
  examples(status, 'railyard status', 'railyard status production --json');

  const history = program
    .command('history')
    .description('deployments, newest first')
    .option('--env <env>', 'only this environment')
    .option('--deployment <id>', 'only this deployment (or ids starting with it)')
    .option('--actor <id>', 'only deployments this actor requested, approved or acted on')
    .option('--since <when>', 'requested since a date (2026-05-01) or a duration ago (2h, 7d)')
    .option('--limit <n>', 'at most this many (default 100)', positiveInt)
    .action(
      (
        options: { env?: string; deployment?: string; actor?: string; since?: string; limit?: number },
        command: Command,
      ) =>
        withSession(deps, command, async ({ site, out, now }) => {
          const deployments = await site.history({
            environment: options.env,
            deployment: options.deployment,
            actor: options.actor,
            since: options.since ? sinceInstant(options.since, now) : undefined,
            limit: options.limit,
          });
          out.result({ deployments }, () => deploymentsTable(deployments, out.style, now));
        }),
    );
  examples(
    history,
    'railyard history --env production --since 7d',
    'railyard history --actor olivia --limit 20 --json',
  );

  const timeline = program
    .command('timeline <env>')
    .description("an environment's journal as a readable timeline: time, deployment, from → to, actor, reason")
    .option('--absolute', 'absolute times instead of seconds since the first entry')
    .action((env: string, options: { absolute?: boolean }, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        await site.environment(env);
        const entries = await site.journal({ environment: env });
        out.result({ entries }, () => formatTimeline(entries, { time: options.absolute ? 'absolute' : 'relative' }));
      }),
    );
  examples(timeline, 'railyard timeline production', 'railyard timeline production --absolute');

  const explain = program
    .command('explain <deployment>')
    .description('why a deployment is where it is: what it waits for, its deadline, each gate')
    .action((id: string, _options, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        const explanation = await site.explain(id);
        out.result({ explanation }, () => explanation.text);
      }),
    );
  examples(explain, 'railyard explain production/000004');

  const health = program
    .command('health <env>')
    .description("an environment's health: deployment, execution and monitors, and the worst of them")
    .action((env: string, _options, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        const result = await site.health(env);
        out.result({ health: result }, () => healthText(result, out.style));
      }),
    );
  examples(health, 'railyard health production');
}
