import type { ScenarioRun } from '@railyard/core';
import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { withSession } from '../cli/session.js';
import type { Style } from '../output/style.js';
import { table } from '../output/table.js';
import { when } from '../output/time.js';

function runsTable(runs: ScenarioRun[], s: Style, now: number): string {
  if (runs.length === 0) return s.dim('No runs.');
  return table(runs, [
    { heading: 'run', cell: (r) => r.id },
    { heading: 'scenario', cell: (r) => r.scenario },
    { heading: 'status', cell: (r) => r.status },
    { heading: 'trigger', cell: (r) => r.trigger.kind },
    { heading: 'queued', cell: (r) => when(r.queuedAt, now) },
  ]);
}

/** `scenarios list | run <id> | runs [--scenario]`. */
export function registerScenarios(program: Command, deps: CliDeps): void {
  const scenarios = examples(
    program.command('scenarios').description('list scenarios, run one now, list runs'),
    'railyard scenarios list',
    'railyard scenarios runs --scenario nightly-scoring',
  );

  const list = scenarios
    .command('list')
    .description('every scenario: id, environment, revision')
    .action((_options, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        const records = await site.scenarios();
        out.result({ scenarios: records }, () =>
          records.length === 0
            ? out.style.dim('No scenarios.')
            : table(records, [
                { heading: 'scenario', cell: (r) => r.definition.id },
                { heading: 'environment', cell: (r) => r.definition.environment ?? '-' },
                { heading: 'revision', cell: (r) => String(r.revision) },
              ]),
        );
      }),
    );
  examples(list, 'railyard scenarios list');

  const run = scenarios
    .command('run <id>')
    .description('run a scenario now (driven here until it ends or waits, unless --no-wait)')
    .option('--no-wait', 'only queue the run')
    .action((id: string, options: { wait: boolean }, command: Command) =>
      withSession(deps, command, async ({ site, out, by, now }) => {
        const result = await site.runScenario(id, { by, wait: options.wait });
        out.result(
          { run: result },
          () => `Run ${result.id} of ${result.scenario}: ${result.status}\n${runsTable([result], out.style, now)}`,
        );
      }),
    );
  examples(run, 'railyard --as olivia scenarios run nightly-scoring');

  const runs = scenarios
    .command('runs')
    .description('scenario runs, newest first')
    .option('--scenario <id>', 'only this scenario')
    .action((options: { scenario?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, now }) => {
        const result = await site.scenarioRuns({ scenario: options.scenario });
        out.result({ runs: result }, () => runsTable(result, out.style, now));
      }),
    );
  examples(runs, 'railyard scenarios runs --scenario nightly-scoring');
}
