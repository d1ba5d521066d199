import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The built `railyard` binary the end-to-end tests spawn. */
export const BIN = join(root, 'packages/cli/dist/bin.js');
const outputs = [BIN, join(root, 'packages/core/dist/index.js'), join(root, 'packages/adapter-http/dist/index.js')];
const sources = ['cli', 'core', 'adapter-http'].map((name) => join(root, 'packages', name, 'src'));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function stale(): boolean {
  if (!outputs.every((file) => existsSync(file))) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return Math.max(...sources.map(newest)) > built;
}

/**
 * Builds the CLI and the packages it runs on when their dist is missing or older than their
 * sources (CI builds first, so there this does nothing; `npm test` alone still works). Test files
 * running in parallel take turns through a lock directory.
 */
export async function ensureBuilt(): Promise<void> {
  if (!stale()) return;
  const lock = join(root, 'packages/cli/.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a test run that was killed mid-build is stale after 5 minutes.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 5 * 60_000) rmdirSync(lock);
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (stale())
      await promisify(execFile)(
        'npx',
        ['turbo', 'run', 'build', '--filter=@railyard/cli', '--output-logs=errors-only'],
        {
          cwd: root,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
  } finally {
    rmdirSync(lock);
  }
}
