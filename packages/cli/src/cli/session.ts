import type { ActorInput } from '@railyard/core';
import type { Command } from 'commander';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { Output } from '../output/output.js';
import type { Site } from '../site/site.js';
import { resolveActor } from './actor.js';
import type { CliDeps } from './deps.js';

/** The options every command accepts (declared on the program). */
export interface GlobalOptions {
  config?: string;
  site?: string;
  as?: string;
  json?: boolean;
  debug?: boolean;
  /** False with `--no-color`. */
  color?: boolean;
}

/** What a command's action works with. */
export interface Session {
  site: Site;
  by: ActorInput;
  out: Output;
  loaded: LoadedConfig;
  deps: CliDeps;
  now: number;
}

/** The output a command writes to, from the global `--json`/`--debug`. */
export function outputOf(deps: CliDeps, command: Command): Output {
  const globals = command.optsWithGlobals<GlobalOptions>();
  return new Output(deps, Boolean(globals.json), Boolean(globals.debug), globals.color !== false);
}

/**
 * Loads the config, opens the site, runs `work`, and always closes the site. Errors propagate to
 * the program, which prints them and sets the exit code.
 */
export async function withSession(
  deps: CliDeps,
  command: Command,
  work: (session: Session) => Promise<void>,
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const out = outputOf(deps, command);
  const loaded = await loadConfig(deps.cwd, globals.config);
  const url = globals.site ?? loaded.config.site;
  const site = await deps.openSite({
    config: loaded.config,
    root: loaded.root,
    url,
    env: deps.env,
    note: (text) => out.note(text),
  });
  try {
    await work({ site, by: resolveActor(globals.as, loaded.config, deps.env), out, loaded, deps, now: deps.now() });
  } finally {
    await site.close();
  }
}
