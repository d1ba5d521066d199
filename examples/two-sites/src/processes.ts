import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SECRET_ENV } from './keys.js';

/** The production agent, running as its own process. */
export interface ProductionProcess {
  url: string;
  /** Sends SIGTERM and waits for the process to exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Starts src/production.ts in a child process (through tsx) with its directory and secrets, and
 * resolves with the agent's URL once it prints `READY <url>`. Its other output is passed through.
 */
export async function startProductionProcess(
  dir: string,
  secrets: { design: string; ops: string },
): Promise<ProductionProcess> {
  const script = join(fileURLToPath(new URL('.', import.meta.url)), 'production.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      RAILYARD_DIR: dir,
      RAILYARD_EXIT_WITH_PARENT: '1',
      [SECRET_ENV.design]: secrets.design,
      [SECRET_ENV.ops]: secrets.ops,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve(line.slice('READY '.length));
      else console.log(line);
    });
    child.once('exit', (code) => reject(new Error(`the production process exited (code ${code}) before it was ready`)));
    child.once('error', reject);
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `check` every 100 ms until it returns a value, or throws after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
