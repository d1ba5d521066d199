import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '@railyard/core/errors';
import type { RailyardConfig } from './define-config.js';

/** The file names `railyard` looks for, in this order, in each directory from the working one up. */
const CONFIG_NAMES = ['ts', 'mts', 'js', 'mjs', 'json'].map((ext) => `railyard.config.${ext}`);

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  config: RailyardConfig;
  /** The config file, or null when none was found. */
  file: string | null;
  /** The project root: the config's directory, or the working directory. */
  root: string;
}

/** The nearest `railyard.config.*` from `cwd` upward, or null. */
export function findConfig(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Loads the config named by `--config`, or the nearest one; none found is an empty config rooted at `cwd`. */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const file = explicit ? resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return { config: {}, file: null, root: resolve(cwd) };
  if (!existsSync(file))
    throw new ValidationError(`The config file ${file} does not exist. Check the --config path.`, {
      details: { file },
    });
  let value: unknown;
  try {
    value = file.endsWith('.json')
      ? JSON.parse(readFileSync(file, 'utf8'))
      : await (await import('jiti'))
          .createJiti(import.meta.url, { moduleCache: false })
          .import(file, { default: true });
  } catch (cause) {
    throw new ValidationError(
      `The config file ${file} could not be loaded: ${(cause as Error).message}. Fix it, or pass another with --config.`,
      { cause, details: { file } },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValidationError(`The config file ${file} must export an object (export default defineConfig({ ... })).`, {
      details: { file },
    });
  return { config: value as RailyardConfig, file, root: dirname(file) };
}
