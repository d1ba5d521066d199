import { createConnection } from 'node:net';
import { AdapterError, type RailyardErrorJSON, railyardErrorFromJSON } from '@railyard/core/errors';
import { jsonLines, type SocketAnswer, type SocketRequest } from './protocol.js';

/** An argument that carries an `onProgress` callback, which stays on this side of the socket. */
function progressArgument(args: unknown[]): { index: number; onProgress: (progress: unknown) => void } | undefined {
  for (const [index, arg] of args.entries()) {
    const onProgress = (arg as { onProgress?: unknown } | null)?.onProgress;
    if (typeof onProgress === 'function') return { index, onProgress: onProgress as (progress: unknown) => void };
  }
  return undefined;
}

function failure(error: SocketAnswer & { error: unknown }): Error {
  const json = error.error as RailyardErrorJSON;
  if (typeof json.code === 'string') return railyardErrorFromJSON(json);
  return new Error(`The railyard worker failed: ${(error.error as { message: string }).message}`);
}

/**
 * Calls `method` on the process that serves the socket at `path` and returns its result. Progress
 * lines the holder sends are handed to the `onProgress` of the argument that had one.
 */
export async function callSocket(path: string, method: string, args: unknown[]): Promise<unknown> {
  const progress = progressArgument(args);
  const request: SocketRequest = {
    method,
    args: args.map((arg, index) => (index === progress?.index ? { ...(arg as object), onProgress: undefined } : arg)),
    ...(progress ? { progress: progress.index } : {}),
  };
  const socket = createConnection(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (error) =>
      reject(
        new AdapterError(
          `Cannot reach the railyard worker on ${path} (${error.message}). If no worker runs, remove the file and run the command again.`,
          { cause: error, details: { path } },
        ),
      ),
    );
  });
  socket.write(`${JSON.stringify(request)}\n`);
  try {
    for await (const line of jsonLines(socket)) {
      const answer = line as SocketAnswer;
      if ('progress' in answer) progress?.onProgress(answer.progress);
      else if ('result' in answer) return answer.result;
      else if ('error' in answer) throw failure(answer);
    }
  } finally {
    socket.destroy();
  }
  throw new AdapterError(
    `The railyard worker on ${path} closed the connection without answering; it may have stopped. Check with \`railyard status\`, then run the command again.`,
    { details: { path } },
  );
}
