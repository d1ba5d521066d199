import { chmod, lstat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { isRailyardError, RailyardError, ValidationError } from '@railyard/core/errors';
import type { SocketAnswer, SocketRequest } from './protocol.js';

/** A request line longer than this is refused (requests are small: ids, paths, flags). */
const MAX_REQUEST_BYTES = 1 << 20;
/** Linux and macOS cap a unix socket's path at 108 and 104 bytes, terminator included. */
const MAX_SOCKET_PATH = 103;

/**
 * Calls a method on the holder's side. When the caller follows progress, the argument it named
 * carries an `onProgress` that streams each report back.
 */
export type SocketDispatch = (method: string, args: unknown[]) => Promise<unknown>;

/** A running socket server: `close` stops accepting, waits for calls in flight and removes the file. */
export interface ServedSocket {
  path: string;
  close(): Promise<void>;
}

/** Whether a process answers on the socket file (a stale file from a dead holder refuses). */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Removes a socket file nobody answers on; refuses when a live holder serves it. */
async function clearStale(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => null);
  if (!stat) return;
  if (await socketAnswers(path)) {
    throw new RailyardError(
      'STORE_LOCKED',
      `Another railyard process already serves ${path}. Stop it (railyard worker stops on SIGTERM), or leave it running: other railyard commands in this directory reach it by themselves.`,
      { details: { path } },
    );
  }
  if (!stat.isSocket()) {
    throw new RailyardError('STORE_LOCKED', `${path} exists and is not a socket; remove it, then start again.`, {
      details: { path },
    });
  }
  await unlink(path);
}

function answer(socket: Socket, line: SocketAnswer): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(line)}\n`);
}

function errorLine(error: unknown): SocketAnswer {
  if (isRailyardError(error)) return { error: error.toJSON() };
  const failure = error instanceof Error ? error : new Error(String(error));
  return { error: { name: failure.name, message: failure.message } };
}

/** The first line a client sends, without consuming the socket (an iterator's `break` would destroy it). */
function firstLine(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const newline = pending.indexOf('\n');
      if (newline >= 0) done(() => resolve(pending.slice(0, newline)));
      else if (pending.length > MAX_REQUEST_BYTES) done(() => reject(new Error('the request is too large')));
    };
    const onEnd = () => done(() => resolve(pending));
    const done = (settle: () => void) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      settle();
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
  });
}

async function serveConnection(socket: Socket, dispatch: SocketDispatch, inFlight: Set<Promise<void>>) {
  let request: SocketRequest | undefined;
  try {
    request = JSON.parse(await firstLine(socket)) as SocketRequest;
  } catch (error) {
    answer(socket, errorLine(error));
    socket.end();
    return;
  }
  if (!request || typeof request.method !== 'string' || !Array.isArray(request.args)) {
    answer(socket, { error: { message: 'Malformed request on the railyard socket.' } });
    socket.end();
    return;
  }
  const at = request.progress;
  const onProgress = (progress: unknown) => answer(socket, { progress });
  const args = request.args.map((arg, index) => (index === at ? { ...(arg as object), onProgress } : arg));
  const call = dispatch(request.method, args).then(
    (result) => answer(socket, { result: result ?? null }),
    (error: unknown) => answer(socket, errorLine(error)),
  );
  inFlight.add(call);
  await call.finally(() => inFlight.delete(call));
  socket.end();
}

/**
 * Serves `dispatch` on a unix socket at `path`, readable and writable by this user only (0600). A
 * stale file left by a holder that died is replaced; a live holder is refused with STORE_LOCKED.
 */
export async function serveSocket(path: string, dispatch: SocketDispatch): Promise<ServedSocket> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new ValidationError(
      `The socket path ${path} is longer than a unix socket allows (${MAX_SOCKET_PATH} bytes): run railyard from a directory with a shorter path.`,
    );
  }
  await clearStale(path);
  const inFlight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    void serveConnection(socket, dispatch, inFlight);
  });
  // The socket file is created with the process umask: make it owner-only from the start.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  await chmod(path, 0o600);
  let closed: Promise<void> | undefined;
  return {
    path,
    close() {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.allSettled([...inFlight]);
        for (const socket of sockets) socket.destroy();
        await stopped;
        await unlink(path).catch(() => undefined);
      })();
      return closed;
    },
  };
}
