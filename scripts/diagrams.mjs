#!/usr/bin/env node
// Draws every state machine into docs/machines/<name>.md from its definition in the built
// @railyard/core: a Mermaid diagram from toMermaid() and a table of states from machine.config.
// Nothing about a machine is written by hand here, so the docs cannot drift from the code.
//
//   node scripts/diagrams.mjs           write the files
//   node scripts/diagrams.mjs --check   write nothing; exit 1 if a file differs from what would be written (CI)
//
// Build the core first: npx turbo run build --filter=@railyard/core
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--check');
if (unknown.length > 0) {
  console.error(`diagrams: unknown argument ${unknown.join(' ')}. Usage: node scripts/diagrams.mjs [--check]`);
  process.exit(2);
}
const check = args.includes('--check');

let core;
try {
  core = await import('@railyard/core');
} catch (error) {
  console.error(`diagrams: cannot import @railyard/core (${error instanceof Error ? error.message : String(error)}).`);
  console.error('Build it first: npx turbo run build --filter=@railyard/core');
  process.exit(2);
}

/**
 * The machines to draw. To add one, export it from @railyard/core and add one line here.
 * `export` is the name it is exported under; `file` is relative to the repository root.
 */
const machines = [
  {
    export: 'deploymentMachine',
    file: 'docs/machines/deployment.md',
    title: 'The deployment machine',
    intro:
      'A deployment is one bundle going into one environment; a rollback is a deployment whose `kind` is `rollback`. ' +
      'The engine moves it one committed, journaled transition at a time. ' +
      '`requested`, `awaiting_approval` and `approved` wait in the environment’s queue; from `transferring` until ' +
      'verification ends, the deployment holds the environment’s single in-flight slot. ' +
      'Each state from `requested` to `activating` has a deadline after which the engine ends the deployment with ' +
      '`timeout`; a `verifying` deployment past its deadline counts as a failed verification. ' +
      'An operator can `abandon` a deployment in any unfinished state but `active`. ' +
      'A `rolling_back` deployment ends with its rollback deployment: `revert` when the rollback activates, `fail` when it fails. ' +
      'What the engine does in each state is described in [Concepts](../concepts.md#the-deployment-lifecycle).',
  },
  {
    export: 'environmentMachine',
    file: 'docs/machines/environment.md',
    title: 'The environment machine',
    intro:
      'An environment’s status says whether the engine considers it healthy. Every change of status is one event of ' +
      'this machine, journaled as `environment.status` (with the event) and emitted as the `environment.status` event; ' +
      'a move that keeps the status records nothing. A verified deployment `heal`s the environment; a failure the ' +
      'engine does not repair (a failed verification without a rollback, a critical monitor with nothing to roll back ' +
      'to, an automatic rollback in progress) `degrade`s it; a failure past what the policy lets the engine handle ' +
      '(the cap of consecutive automatic rollbacks, a failed rollback, a critical rollback, `autoRollback.mode: hold`) ' +
      '`halt`s it. A halt is sticky: a later failure leaves it halted, and only `railyard.resume` by an operator (or a ' +
      'rollback the operator requested, once verified) lifts it. `resume` goes to `ready` only while the guard ' +
      '`active_healthy` holds (no active deployment, or an `active` one); otherwise the operator’s resume is ' +
      '`resume_degraded`. See [Concepts](../concepts.md#state-machines).',
  },
  {
    export: 'monitorMachine',
    file: 'docs/machines/monitor.md',
    title: 'The monitor machine',
    intro:
      'A monitor reads a probe on its interval during verification and, for the watch period, after activation. ' +
      'Readings move it through hysteresis: `failAfter` consecutive breaches trip it to `warning` or `critical`, ' +
      '`clearAfter` consecutive passes clear it to `ok`, and a critical monitor steps down to `warning` after `clearAfter` ' +
      "readings in a row at the warning level (`critical_cleared`); an inconclusive reading counts as the monitor's `inconclusiveAs` says " +
      'and never as a pass. A critical monitor fails verification, or during the watch triggers the rollback policy, ' +
      'unless it is in shadow mode. A silence holds it in `silenced` until it expires. See [Monitors](../monitors.md).',
  },
  {
    export: 'scenarioRunMachine',
    file: 'docs/machines/scenario-run.md',
    title: 'The scenario-run machine',
    intro:
      'A scenario run is created `queued` by a trigger, a manual `scenarios.run`, or a `railyard/run-scenario` step, ' +
      'in its scenario’s lane, whose concurrency policy (queue, skip, replace, parallel) decides when it may `start`. ' +
      'One engine claims it by compare-and-swap with a lease and runs its steps in order; an engine whose lease expired ' +
      'is replaced by another, which runs the interrupted attempt again with the same idempotency key. ' +
      'It ends with the outcome of its steps (`succeeded`, `warning`, `failed`), or `aborted` (`scenarios.abort`, or ' +
      'replaced by a newer run) or `timed_out` (past the scenario’s overall timeout). Every transition is journaled as ' +
      '`scenario.run` and emitted; reporters fire on `start` and on the end. See [Scenarios](../scenarios.md).',
  },
  {
    export: 'scenarioStepMachine',
    file: 'docs/machines/scenario-step.md',
    title: 'The step machine',
    intro:
      'Each step of a scenario run is `pending` until the steps before it are done; then its run condition ' +
      '(on-success, on-failure, always, never, outcomeIs, or a registered predicate) makes it `skipped` or `running`. ' +
      'A retryable failure with retries left moves it to `retrying` until its backoff delay passes on the clock (the ' +
      'state is stored, so retries survive restarts and never hold the worker); otherwise it ends `failed`, counted as ' +
      'its `failureAs` says. `resume` re-runs an attempt whose engine stopped. A run that is aborted or times out fails ' +
      'the step in progress and skips the rest. See [Scenarios](../scenarios.md#steps).',
  },
];

/** Escapes text for a Markdown table cell. */
const cell = (text) => String(text).replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ');

function render(entry) {
  const machine = core[entry.export];
  if (!machine?.config?.states) {
    throw new Error(`@railyard/core does not export a machine named "${entry.export}".`);
  }
  const { config } = machine;
  const rows = machine.states.map((state) => {
    const node = config.states[state];
    if (typeof node.description !== 'string' || node.description.length === 0) {
      throw new Error(`machine "${config.id}": state "${state}" has no description; add one to its definition.`);
    }
    const moves = Object.entries(node.on ?? {}).map(([event, move]) =>
      typeof move === 'object'
        ? `\`${event}\` → \`${move.target}\` if \`${move.guard}\``
        : `\`${event}\` → \`${move}\``,
    );
    return `| \`${state}\` | ${cell(node.description)} | ${node.terminal ? 'yes' : 'no'} | ${moves.join('<br>') || '—'} |`;
  });
  const terminal = machine.states.filter((state) => machine.isTerminal(state));
  return [
    `# ${entry.title}`,
    '',
    `<!-- Generated by scripts/diagrams.mjs from \`${entry.export}\` in @railyard/core. Do not edit: change the machine and run \`npm run docs\`. -->`,
    '',
    entry.intro,
    '',
    `Machine id: \`${config.id}\`. Initial state: \`${config.initial}\`. Terminal states: ${terminal.map((s) => `\`${s}\``).join(', ') || 'none'}.`,
    '',
    '```mermaid',
    core.toMermaid(machine).trimEnd(),
    '```',
    '',
    '## States',
    '',
    '| State | Description | Terminal | Events → targets |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

const stale = [];
for (const entry of machines) {
  const path = join(root, entry.file);
  const text = render(entry);
  if (check) {
    const current = await readFile(path, 'utf8').catch((error) =>
      error.code === 'ENOENT' ? null : Promise.reject(error),
    );
    if (current !== text) stale.push(entry.file);
    continue;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  console.log(`diagrams: wrote ${entry.file}`);
}
if (check) {
  if (stale.length > 0) {
    console.error(
      `diagrams: out of date: ${stale.join(', ')}. Run \`npm run docs\` (or node scripts/diagrams.mjs) and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`diagrams: ${machines.length} file(s) up to date.`);
}
