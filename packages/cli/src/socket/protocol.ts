import type { RailyardErrorJSON } from '@railyard/core/errors';

/** The file a store's holder serves, in the store's directory. */
export const SOCKET_FILE = 'railyard.sock';

/**
 * One request over the socket, as one JSON line: a {@link Site} method and its JSON-safe
 * arguments. `progress` names the argument whose `onProgress` callback the holder stands in for
 * (the callback itself cannot travel): the holder then sends progress lines before the answer.
 */
export interface SocketRequest {
  method: string;
  args: unknown[];
  progress?: number;
}

/**
 * What the holder writes back, one JSON line each: any number of `progress` lines, then exactly
 * one `result` or `error` line, then it closes the connection.
 */
export type SocketAnswer =
  | { progress: unknown }
  | { result: unknown }
  | { error: RailyardErrorJSON | { message: string; name?: string } };

/** Splits a byte stream into JSON lines. */
export async function* jsonLines(source: AsyncIterable<Buffer | string>): AsyncIterable<unknown> {
  let pending = '';
  for await (const chunk of source) {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) yield JSON.parse(line);
      newline = pending.indexOf('\n');
    }
  }
  if (pending.trim()) yield JSON.parse(pending);
}
