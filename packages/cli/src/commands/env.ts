import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EnvironmentRecord } from '@railyard/core';
import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { withSession } from '../cli/session.js';
import { environmentsTable } from '../output/format-records.js';
import { when } from '../output/time.js';
import { usageError } from '../output/usage-error.js';

/** The definitions in an env file: one object or an array of them. */
function readDefinitions(cwd: string, file: string): unknown[] {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw usageError(`Cannot read the environment file ${path}: ${(cause as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw usageError(`The environment file ${path} is not valid JSON: ${(cause as Error).message}.`);
  }
  const definitions = Array.isArray(value) ? value : [value];
  if (definitions.length === 0) throw usageError(`The environment file ${path} defines no environment.`);
  return definitions;
}

/** `railyard env list | show <env> | define [--file <env.json>]`. */
export function registerEnv(program: Command, deps: CliDeps): void {
  const env = examples(
    program.command('env').description('list, show and define environments'),
    'railyard env list',
    'railyard env define --file environments.json',
  );

  const list = env
    .command('list')
    .description('every environment: status, active version, in-flight deployment, queue')
    .action((_options, command: Command) =>
      withSession(deps, command, async ({ site, out, now }) => {
        const environments = await site.environments();
        out.result({ environments }, () => environmentsTable(environments, out.style, now));
      }),
    );
  examples(list, 'railyard env list', 'railyard env list --json');

  const show = env
    .command('show <env>')
    .description("one environment's definition and state")
    .action((id: string, _options, command: Command) =>
      withSession(deps, command, async ({ site, out, now }) => {
        const environment = await site.environment(id);
        out.result({ environment }, () => showText(environment, now));
      }),
    );
  examples(show, 'railyard env show production');

  const define = env
    .command('define')
    .description("define environments from a JSON file (one or an array), or the config's `environments`")
    .option('--file <env.json>', 'a JSON file holding one environment definition or an array of them')
    .action((options: { file?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by, loaded, now }) => {
        const definitions = options.file ? readDefinitions(deps.cwd, options.file) : (loaded.config.environments ?? []);
        if (definitions.length === 0)
          throw usageError('Nothing to define: pass --file <env.json>, or list `environments` in railyard.config.ts.');
        // One at a time, in order: a later environment may promote from an earlier one.
        const environments: EnvironmentRecord[] = [];
        for (const definition of definitions) environments.push(await site.defineEnvironment({ definition, by }));
        out.result({ environments }, () =>
          environments.map((e) => `Defined ${e.definition.id} (updated ${when(e.updatedAt, now)})`).join('\n'),
        );
      }),
    );
  examples(
    define,
    'railyard env define --file environments/production.json',
    "railyard env define   # the config's environments",
  );
}

function showText(e: EnvironmentRecord, now: number): string {
  return [
    `${e.definition.id}  ${e.status}${e.statusReason ? ` — ${e.statusReason}` : ''}`,
    `  active     ${e.active ? `${e.active.snapshot.version} (${e.active.deploymentId}) since ${when(e.active.since, now)}` : '-'}`,
    `  in flight  ${e.inFlight ?? '-'}`,
    `  queue      ${e.queue.join(', ') || '-'}`,
    `  defined    ${when(e.createdAt, now)}`,
    'definition:',
    JSON.stringify(e.definition, null, 2),
  ].join('\n');
}
