import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./engine-child.ts', import.meta.url));

/** An engine-child process, with its stdout lines as they arrive. */
export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line (already printed or still to come) that matches. */
  line(match: (line: string) => boolean): Promise<string>;
  /** Resolves with the exit code, or the signal that ended the process. */
  exited: Promise<number | NodeJS.Signals | null>;
  stderr(): string;
}

export function spawnChild(args: string[]): Child {
  const proc = spawn(process.execPath, ['--conditions=@railyard/source', '--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: process.env,
  });
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stderr = '';
  proc.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    proc.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.match(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  return {
    proc,
    lines,
    exited,
    stderr: () => stderr,
    line: (match) =>
      new Promise((resolve, reject) => {
        const seen = lines.find(match);
        if (seen !== undefined) return resolve(seen);
        waiters.push({ match, resolve });
        void exited.then((how) => reject(new Error(`child exited (${how}) before the line; stderr: ${stderr}`)));
      }),
  };
}
