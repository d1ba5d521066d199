import { Command, CommanderError } from 'commander';
import type { CliDeps } from './cli/deps.js';
import { examples } from './cli/examples.js';
import { outputOf } from './cli/session.js';
import { registerAgent } from './commands/agent.js';
import { registerBundles } from './commands/bundles.js';
import { registerCompletion } from './commands/completion.js';
import { registerDeployments } from './commands/deployments.js';
import { registerEnv } from './commands/env.js';
import { registerGc } from './commands/gc.js';
import { registerInit } from './commands/init.js';
import { registerInspect } from './commands/inspect.js';
import { registerJournal } from './commands/journal.js';
import { registerMonitors } from './commands/monitors.js';
import { registerOperate } from './commands/operate.js';
import { registerScenarios } from './commands/scenarios.js';
import { registerWorker } from './commands/worker.js';
import { EXIT } from './output/exit-codes.js';
import { CLI_VERSION } from './version.js';

/** The `railyard` program: global options, then each command group's register function. */
export function buildProgram(deps: CliDeps): Command {
  const program = new Command('railyard')
    .description('Promote, approve, roll back and inspect Railyard deployments from a terminal.')
    // Only `-V` is the program's flag: `--version <semver>` belongs to `bundle build`. `railyard --version`
    // alone is answered by runCli.
    .version(CLI_VERSION, '-V', 'output the version number (also: railyard --version)')
    .option('--config <file>', 'the railyard.config.{ts,mts,js,mjs,json} to use (default: found upward from here)')
    .option('--site <url>', "a production site's agent URL (key from RAILYARD_KEY_ID / RAILYARD_KEY_SECRET)")
    .option('--as <actor>', 'act locally as this actor (default: RAILYARD_ACTOR, then your user name)')
    .option('--json', 'print one JSON document (JSON lines for streams) instead of text')
    .option('--debug', 'print the cause chain of errors')
    .option('--no-color', 'no colour (colour is used only on a terminal, and never with NO_COLOR)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
    })
    .exitOverride();
  registerInit(program, deps);
  registerEnv(program, deps);
  registerDeployments(program, deps);
  registerOperate(program, deps);
  registerInspect(program, deps);
  registerScenarios(program, deps);
  registerMonitors(program, deps);
  registerBundles(program, deps);
  registerJournal(program, deps);
  registerGc(program, deps);
  registerWorker(program, deps);
  registerAgent(program, deps);
  registerCompletion(program, deps);
  examples(
    program,
    'railyard init',
    'railyard env define --file production.json',
    'railyard promote churn@1.2.0 --to production --reason "Q3 retrain"',
    'railyard --as olivia approve production/000001',
    'railyard status --json',
    'railyard <command> --help   # every command has its own examples',
  );
  return program;
}

/** Runs `railyard` with `argv` (without node and script) and answers the exit code; never throws. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    deps.stdout.write(`${CLI_VERSION}\n`);
    return EXIT.done;
  }
  const program = buildProgram(deps);
  let running: Command = program;
  program.hook('preAction', (_program, action) => {
    running = action;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.done;
  } catch (error) {
    // --help and --version end the program with code 0; usage mistakes (already printed) with 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.done : EXIT.usage;
    return outputOf(deps, running).error(error);
  }
}
