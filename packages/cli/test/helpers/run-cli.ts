import { spawn } from 'node:child_process';
import { BIN } from './built-binary.js';

/** What one run of `railyard` did. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Variables that would leak into the CLI from the test's own environment. */
const SCRUBBED = ['RAILYARD_ACTOR', 'RAILYARD_ROLES', 'RAILYARD_KEY_ID', 'RAILYARD_KEY_SECRET', 'FORCE_COLOR'];

/** Runs the built `railyard` as a real process in `cwd` (no TTY: stdin is closed). */
export function railyard(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const base = { ...process.env };
  for (const name of SCRUBBED) delete base[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...base, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: <T>() => {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`railyard ${args.join(' ')} printed no JSON:\n${stdout}\n${stderr}`);
          }
        },
      }),
    );
  });
}
