import type { RailyardConfig } from '../config/define-config.js';
import type { Streams } from '../output/output.js';
import type { Site } from '../site/site.js';

/** Where a site is opened from: the loaded config, its root, `--site`, and the environment. */
export interface SiteRequest {
  config: RailyardConfig;
  root: string;
  /** `--site` or the config's `site`. */
  url?: string;
  env: NodeJS.ProcessEnv;
  /** Where a site reports what it follows for a person (stderr; nothing with `--json`). */
  note?: (text: string) => void;
}

/** What the commands get from outside: streams, the working directory, how to open a site and ask a person. */
export interface CliDeps extends Streams {
  cwd: string;
  stdin: NodeJS.ReadStream;
  /** Opens the site a command talks to (local, remote or, once a worker serves the store, its socket). */
  openSite(request: SiteRequest): Promise<Site>;
  /** Asks a person yes or no on the terminal. */
  ask(question: string): Promise<boolean>;
  now(): number;
}
