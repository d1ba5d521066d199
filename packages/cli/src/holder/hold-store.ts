import type { Railyard } from '@railyard/core';
import type { Logger } from './logger.js';
import { serveStore } from './serve-store.js';

/** A store held by this process: its worker runs and its socket serves other commands. */
export interface HeldStore {
  socket: string;
  /** Stops serving, stops the worker (host code is cut short and its claims handed back) and closes the stores. */
  stop(reason: string): Promise<void>;
}

/**
 * Makes this process the holder of the store: serves the socket, logs every lifecycle event, and
 * starts the background worker.
 */
export async function holdStore(railyard: Railyard, root: string, log: Logger): Promise<HeldStore> {
  const served = await serveStore(root, railyard);
  const off = [
    railyard.events.on('deployment.transition', (t) =>
      log.info('deployment.transition', {
        deployment: t.deployment.id,
        environment: t.deployment.environment,
        from: t.from,
        to: t.to,
        actor: t.actor.id,
        ...(t.reason ? { reason: t.reason } : {}),
      }),
    ),
    railyard.events.on('environment.status', (c) =>
      log.info('environment.status', {
        environment: c.environment,
        from: c.from,
        to: c.to,
        ...(c.reason ? { reason: c.reason } : {}),
      }),
    ),
    railyard.events.on('scenario.run', (t) =>
      log.info('scenario.run', { run: t.run.id, scenario: t.run.scenario, from: t.from, to: t.to }),
    ),
    railyard.events.on('error', (error) =>
      log.error('error', { message: error instanceof Error ? error.message : String(error) }),
    ),
  ];
  railyard.start();
  let stopped: Promise<void> | undefined;
  return {
    socket: served.path,
    stop(reason) {
      stopped ??= (async () => {
        log.info('worker.stopping', { reason });
        // Requests in flight finish first; then the worker hands back what it claimed.
        await served.close();
        await railyard.close();
        for (const unsubscribe of off) unsubscribe();
        log.info('worker.stopped', { reason });
      })();
      return stopped;
    },
  };
}

/** Resolves with the name of the first SIGTERM or SIGINT received. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}
