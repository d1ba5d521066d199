import { join } from 'node:path';
import type { Railyard } from '@railyard/core';
import { ValidationError } from '@railyard/core/errors';
import { localBundleOps } from '../site/local-bundle-ops.js';
import { localDir, localSite } from '../site/local-site.js';
import { SOCKET_FILE } from '../socket/protocol.js';
import { type ServedSocket, serveSocket } from '../socket/socket-server.js';

/** Where the holder of the store in `root` serves other `railyard` commands. */
export function socketPathOf(root: string): string {
  return join(localDir(root), SOCKET_FILE);
}

/**
 * Serves the site API of `railyard` over `.railyard/railyard.sock`, for the other commands run in
 * this directory while this process holds the store. Calls run on this process's Railyard; its
 * background worker drives the work, so a caller's `wait` is never settled here (the caller
 * follows the deployment instead).
 */
export function serveStore(root: string, railyard: Railyard): Promise<ServedSocket> {
  const site: Record<string, unknown> = { ...localSite(railyard), ...localBundleOps(railyard) };
  const methods = new Set(Object.keys(site).filter((name) => name !== 'close' && typeof site[name] === 'function'));
  return serveSocket(socketPathOf(root), async (method, args) => {
    if (!methods.has(method)) {
      throw new ValidationError(
        `The railyard process serving this store has no operation "${method}": run the same railyard version for both.`,
      );
    }
    const noWait = args.map((arg) =>
      arg !== null && typeof arg === 'object' && 'wait' in arg ? { ...arg, wait: false } : arg,
    );
    return (site[method] as (...input: unknown[]) => Promise<unknown>)(...noWait);
  });
}
