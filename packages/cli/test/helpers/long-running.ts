import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from './built-binary.js';

/** A `railyard` process that runs until stopped (`worker`, `agent serve`), with its log lines. */
export interface Running {
  child: ChildProcess;
  /** Every stdout line so far, parsed as JSON (the processes log JSON lines when not on a TTY). */
  records: Array<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the first record (past or future) that `match` accepts; rejects if the process exits first. */
  waitFor(match: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `railyard <args>` in `cwd` as a real process. */
export function start(cwd: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let pending = '';
  let stderr = '';
  let exit: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exit = code;
      for (const wake of waiters) wake();
      resolve(code);
    }),
  );
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout?.on('data', (chunk) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      records.push(JSON.parse(line) as Record<string, unknown>);
      newline = pending.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  return {
    child,
    records,
    stderr: () => stderr,
    waitFor(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching record within ${timeoutMs} ms; got:\n${JSON.stringify(records, null, 1)}\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          const found = records.find(match);
          if (found || exit !== undefined) {
            clearTimeout(timer);
            waiters.delete(check);
            if (found) resolve(found);
            else reject(new Error(`railyard ${args.join(' ')} exited with ${exit} first:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    stop(signal = 'SIGTERM') {
      if (exit === undefined) child.kill(signal);
      return exited;
    },
  };
}

/** A TCP port free on 127.0.0.1 right now (the agent's default audience names its port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
