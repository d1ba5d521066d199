import { randomUUID } from 'node:crypto';
import { type AgentClient, createAgentClient } from '@railyard/adapter-http';
import type { Deployment, JournalEntry } from '@railyard/core';
import { CapabilityError, NotFoundError, ValidationError } from '@railyard/core/errors';
import { filterHistory } from './history-filter.js';
import { remoteBundleOps } from './remote-bundle-ops.js';
import type { Site } from './site.js';

/** The key a remote site is reached with: from RAILYARD_KEY_ID / RAILYARD_KEY_SECRET only, never a flag. */
function keyFrom(env: NodeJS.ProcessEnv, url: string): { keyId: string; secret: string } {
  const keyId = env.RAILYARD_KEY_ID;
  const secret = env.RAILYARD_KEY_SECRET;
  if (!keyId || !secret)
    throw new ValidationError(
      `Talking to the site ${url} needs its key: set RAILYARD_KEY_ID and RAILYARD_KEY_SECRET in the environment (never on the command line).`,
      { details: { missing: [!keyId && 'RAILYARD_KEY_ID', !secret && 'RAILYARD_KEY_SECRET'].filter(Boolean) } },
    );
  return { keyId, secret };
}

const FULL_ID = /^sha256:[0-9a-f]{64}$/;

/**
 * A production site's agent through `createAgentClient`. The agent records its key's actor (or,
 * for a key that acts on behalf, the `--as` person with the key's roles). What the agent does not
 * offer refuses with CAPABILITY_MISSING.
 */
export function openRemoteSite(url: string, env: NodeJS.ProcessEnv): Site {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(
      `--site "${url}" is not a URL; give the agent's base URL, like https://prod.example:8443.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ValidationError(`--site "${url}" must be an http:// or https:// URL.`);
  // The agent's audience is usually its public URL's origin (the client's default); behind a proxy
  // that rewrites the origin, RAILYARD_SITE_AUDIENCE names the audience the agent was given.
  const audience = env.RAILYARD_SITE_AUDIENCE;
  const client: AgentClient = createAgentClient({ url, ...keyFrom(env, url), ...(audience ? { audience } : {}) });
  const unsupported = (what: string) => async (): Promise<never> => {
    throw new CapabilityError(
      'remote',
      `${what} is not offered by a site's agent. Run it on the production site itself (without --site).`,
    );
  };
  const deployment = async (id: string) => {
    const found = await client.getDeployment(id);
    if (!found) throw new NotFoundError('deployment', id, 'List deployments with `railyard history --site …`.');
    return found;
  };
  /** Every journal entry the key may see that matches, oldest first, page by page. */
  const readJournal = async (filter: { environment?: string; actor?: string }): Promise<JournalEntry[]> => {
    const entries: JournalEntry[] = [];
    for (let after = 0; ; ) {
      const page = await client.journal({ ...filter, after, limit: 1_000 });
      entries.push(...page);
      const last = page.at(-1);
      if (page.length < 1_000 || !last) return entries;
      after = last.seq;
    }
  };
  const environment = async (id: string) => {
    const found = await client.environment(id);
    if (!found) throw new NotFoundError('environment', id, 'List environments with `railyard env list --site …`.');
    return found;
  };

  return {
    kind: 'remote',
    environments: () => client.environments(),
    environment,
    defineEnvironment: unsupported('Defining an environment'),
    async findBundle(ref) {
      throw new CapabilityError(
        'remote',
        `A remote site is told about bundles by their full id (sha256:…), not "${ref}". Look it up locally with \`railyard bundle list\`.`,
      );
    },
    async promote({ bundle, to, reason, by }) {
      if (!FULL_ID.test(bundle))
        throw new ValidationError(
          `Promoting on a remote site takes the bundle's full id (sha256:…), not "${bundle}"; push it there first.`,
        );
      return client.promote({ bundleId: bundle, to, by, reason, idempotencyKey: randomUUID() });
    },
    plan: (input) => client.plan(input),
    deployment,
    approve: (id, { comment, by }) => client.approve(id, { comment, by }),
    reject: (id, { comment, by }) => client.reject(id, { comment, by }),
    cancel: (id, { reason, by }) => client.cancel(id, { reason, by }),
    abandon: (id, { reason, by }) => client.abandon(id, { reason, by }),
    rollback: (env, { to, reason, by }) => client.rollback(env, { to, reason, by }),
    resume: (env, { reason, by }) => client.resume(env, { reason, by }),
    async status(env) {
      const envs = env ? [await environment(env)] : await client.environments();
      return Promise.all(
        envs.map(async (e) => {
          const inFlight = e.inFlight ? await client.getDeployment(e.inFlight) : null;
          const queued = await Promise.all(e.queue.map((q) => client.getDeployment(q)));
          const health = await client.environmentHealth(e.definition.id);
          return { environment: e, inFlight, queued: queued.filter((d): d is Deployment => d !== null), health };
        }),
      );
    },
    async history(query) {
      const envs = query.environment
        ? [(await environment(query.environment)).definition.id]
        : (await client.environments()).map((e) => e.definition.id);
      const all = (await Promise.all(envs.map((e) => client.history(e, { limit: 1_000 })))).flat();
      let touched: Set<string> | undefined;
      if (query.actor) {
        touched = new Set();
        for (const entry of await readJournal({ actor: query.actor }))
          if (entry.deploymentId) touched.add(entry.deploymentId);
      }
      return filterHistory(all, query, touched);
    },
    journal: ({ environment: env }) => readJournal(env ? { environment: env } : {}),
    explain: (id) => client.explain({ deployment: id }),
    health: (env) => client.environmentHealth(env),
    scenarios: unsupported('Listing scenarios'),
    runScenario: unsupported('Running a scenario'),
    scenarioRuns: unsupported('Listing scenario runs'),
    silence: ({ environment: env, monitor, until, reason, by }) => client.silence(env, { monitor, until, reason, by }),
    ...remoteBundleOps(unsupported),
    close: async () => {},
  };
}
