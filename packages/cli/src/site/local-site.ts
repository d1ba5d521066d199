import { join } from 'node:path';
import {
  createRailyard,
  type Deployment,
  type EnvironmentDefinitionInput,
  fileBlobStore,
  fileStateStore,
  type Railyard,
} from '@railyard/core';
import type { StateStore } from '@railyard/core/adapters';
import { NotFoundError } from '@railyard/core/errors';
import type { Lazy, RailyardConfig } from '../config/define-config.js';
import { filterHistory } from './history-filter.js';
import { localBundleOps } from './local-bundle-ops.js';
import type { EnvironmentStatusView, Site } from './site.js';

/** Where a configuration keeps its state when it names no stores: `<root>/.railyard/`. */
export function localDir(root: string): string {
  return join(root, '.railyard');
}

const open = async <T>(value: Lazy<T> | undefined, fallback: () => T | Promise<T>): Promise<T> =>
  value === undefined ? fallback() : typeof value === 'function' ? (value as () => T | Promise<T>)() : value;

/**
 * The site in this process: `createRailyard` on the config's stores (default: file stores in
 * `.railyard/`). Commands that start work drive it with `settle()` until it waits for a person or
 * for time, or ends, unless called with `wait: false`.
 */
export async function openLocalSite(config: RailyardConfig, root: string): Promise<Site> {
  return localSite((await openLocalRailyard(config, root)).railyard);
}

/**
 * `createRailyard` on the config's stores (default: file stores in `.railyard/`), as `worker` holds
 * it, with its state store (the agent keeps its nonces there).
 */
export async function openLocalRailyard(
  config: RailyardConfig,
  root: string,
): Promise<{ railyard: Railyard; store: StateStore }> {
  const dir = localDir(root);
  const store = await open(config.store, () => fileStateStore({ dir: join(dir, 'state') }));
  const blobs = await open(config.blobs, () => fileBlobStore({ dir: join(dir, 'blobs') }));
  const railyard = createRailyard({
    store,
    blobs,
    steps: config.steps,
    probes: config.probes,
    notifiers: config.notifiers,
  });
  return { railyard, store };
}

/** A {@link Site} over a {@link Railyard} of this process (the socket server reuses it for its callers). */
export function localSite(railyard: Railyard): Site {
  const settled = async <T>(wait: boolean, value: T, reread: (value: T) => Promise<T | null>): Promise<T> => {
    if (!wait) return value;
    await railyard.settle();
    return (await reread(value)) ?? value;
  };
  const again = (d: Deployment) => railyard.deployments.get(d.id);
  const deployment = async (id: string) => {
    const found = await railyard.deployments.get(id);
    if (!found) throw new NotFoundError('deployment', id, 'List deployments with `railyard history`.');
    return found;
  };
  const environment = async (id: string) => {
    const found = await railyard.environments.get(id);
    if (!found) throw new NotFoundError('environment', id, 'List environments with `railyard env list`.');
    return found;
  };
  const status = async (id: string): Promise<EnvironmentStatusView> => {
    const env = await environment(id);
    const [inFlight, queued, health] = await Promise.all([
      env.inFlight ? railyard.deployments.get(env.inFlight) : null,
      Promise.all(env.queue.map((q) => railyard.deployments.get(q))),
      railyard.environments.health(id),
    ]);
    return { environment: env, inFlight, queued: queued.filter((d): d is Deployment => d !== null), health };
  };

  return {
    kind: 'local',
    environments: () => railyard.environments.list(),
    environment,
    defineEnvironment: ({ definition, by }) =>
      railyard.environments.define(definition as EnvironmentDefinitionInput, { by }),
    findBundle: (ref) => railyard.bundles.find(ref),
    async promote({ bundle, to, reason, by, wait }) {
      const found = await railyard.bundles.find(bundle);
      return settled(wait, await railyard.deployments.promote({ bundle: found.id, to, reason, by }), again);
    },
    async plan(input) {
      if ('deployment' in input) return railyard.deployments.plan({ deployment: input.deployment });
      const found = await railyard.bundles.find(input.bundle);
      return railyard.deployments.plan({ bundle: found.id, to: input.to });
    },
    deployment,
    approve: async (id, { comment, by, wait }) =>
      settled(wait, await railyard.deployments.approve(id, { comment, by }), again),
    reject: (id, { comment, by }) => railyard.deployments.reject(id, { comment, by }),
    cancel: (id, { reason, by }) => railyard.deployments.cancel(id, { reason, by }),
    abandon: (id, { reason, by }) => railyard.deployments.abandon(id, { reason, by }),
    rollback: async (env, { to, reason, by, wait }) =>
      settled(wait, await railyard.deployments.rollback(env, { to, reason, by }), again),
    resume: async (env, { reason, by, wait }) =>
      settled(wait, await railyard.environments.resume(env, { reason, by }), (e) =>
        railyard.environments.get(e.definition.id),
      ),
    async status(env) {
      const ids = env ? [env] : (await railyard.environments.list()).map((e) => e.definition.id);
      return Promise.all(ids.map(status));
    },
    async history(query) {
      const envs = query.environment
        ? [(await environment(query.environment)).definition.id]
        : (await railyard.environments.list()).map((e) => e.definition.id);
      const all = (await Promise.all(envs.map((e) => railyard.deployments.history(e, { limit: 10_000 })))).flat();
      let touched: Set<string> | undefined;
      if (query.actor) {
        touched = new Set();
        for await (const entry of railyard.journal.read({ actorId: query.actor }))
          if (entry.deploymentId) touched.add(entry.deploymentId);
      }
      return filterHistory(all, query, touched);
    },
    async journal({ environment: env }) {
      const entries = [];
      for await (const entry of railyard.journal.read(env ? { environment: env } : {})) entries.push(entry);
      return entries;
    },
    explain: (id) => railyard.deployments.explain(id),
    health: (env) => railyard.environments.health(env),
    scenarios: () => railyard.scenarios.list(),
    async runScenario(id, { by, wait }) {
      const run = await railyard.scenarios.run(id, { by });
      if (!wait) return run;
      await railyard.settle();
      return (await railyard.scenarios.getRun(run.id)) ?? run;
    },
    scenarioRuns: ({ scenario }) => railyard.scenarios.runs(scenario ? { scenario } : {}),
    silence: (input) => railyard.monitors.silence(input),
    ...localBundleOps(railyard),
    close: () => railyard.close(),
  };
}
