import type { Deployment } from '@railyard/core';
import type { Site } from '../site/site.js';
import { callSocket } from './socket-client.js';

/** Statuses where a deployment waits for a person, or has ended: following it stops there. */
const RESTING = new Set<string>([
  'awaiting_approval',
  'active',
  'superseded',
  'rolled_back',
  'failed',
  'rejected',
  'cancelled',
]);
const POLL_MS = 250;
/** A deployment unchanged this long waits for time (a bake, a retry, the queue): stop following. */
const QUIET_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A {@link Site} served by the process that holds the store (`railyard worker`, `railyard agent
 * serve`): each call travels as one JSON request over the unix socket, and the holder runs it on
 * its own Railyard. The holder's worker drives the work, so `wait` here means following a
 * deployment's status until it waits for a person or for time, or ends; each change is noted.
 */
export function socketSite(path: string, note: (text: string) => void): Site {
  const call = (method: string, args: unknown[]) => callSocket(path, method, args);

  async function follow(first: Deployment): Promise<Deployment> {
    let current = first;
    let changedAt = Date.now();
    note(`${current.id}: ${current.status}`);
    while (!RESTING.has(current.status) && Date.now() - changedAt < QUIET_MS) {
      await sleep(POLL_MS);
      const next = (await call('deployment', [current.id])) as Deployment;
      if (next.status !== current.status || next.updatedAt !== current.updatedAt) {
        if (next.status !== current.status) note(`${next.id}: ${next.status}`);
        changedAt = Date.now();
      }
      current = next;
    }
    return current;
  }

  const forward =
    (method: string) =>
    async (...args: unknown[]): Promise<unknown> => {
      // The holder's worker drives the work; this side follows it instead of settling there.
      const waitAt = args.findIndex((arg) => (arg as { wait?: unknown } | null)?.wait !== undefined);
      const wait = waitAt >= 0 && (args[waitAt] as { wait: boolean }).wait;
      const sent =
        waitAt >= 0 ? args.map((arg, i) => (i === waitAt ? { ...(arg as object), wait: false } : arg)) : args;
      const result = await call(method, sent);
      const isDeployment = (result as Deployment | null)?.environment !== undefined && 'bundleId' in (result as object);
      return wait && isDeployment ? follow(result as Deployment) : result;
    };

  const base = { kind: 'socket' as const, close: async () => undefined };
  return new Proxy(base, {
    get(target, property) {
      if (property in target) return target[property as keyof typeof target];
      // Not a thenable: `await socketSite(...)` must not call the holder.
      if (typeof property !== 'string' || property === 'then') return undefined;
      return forward(property);
    },
  }) as unknown as Site;
}
