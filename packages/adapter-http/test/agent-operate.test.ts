import { type AgentClient, type AgentKey, createAgentClient } from '@railyard/adapter-http';
import type { JournalEntry } from '@railyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  designer,
  type ProductionSite,
  requester,
  SECRETS,
  signedFetch,
  startProduction,
  testKeys,
} from './helpers.js';

const ONCALL_SECRET = 'oncall-secret-0123456789abcdefghijklmnopq';
const ops = { id: 'olga', roles: ['ops'] };

/** An operator's key for production: cancel, abandon, resume, silences and reads. */
const ONCALL: AgentKey = {
  id: 'oncall',
  secrets: [ONCALL_SECRET],
  actor: { id: 'olga', roles: ['ops'] },
  actions: ['cancel', 'abandon', 'resume', 'silence', 'read'],
  environments: ['production'],
};

let sites: ProductionSite[] = [];
afterEach(async () => {
  for (const site of sites.reverse()) await site.close();
  sites = [];
});

interface World {
  site: ProductionSite;
  /** Versions whose `errors` monitor fails. */
  failing: Set<string>;
  /** The on-call operator's client. */
  oncall: AgentClient;
  /** A client of another key of the test agent. */
  as(keyId: 'ops' | 'reader' | 'design' | 'staging'): AgentClient;
}

/**
 * Production behind an agent: one approval from `ops`, an `errors` monitor during a three-minute
 * bake, and no automatic rollback to spare (`maxConsecutive: 0`), so a failing release halts it.
 */
async function world(): Promise<World> {
  const site = await startProduction({ keys: [...testKeys(), ONCALL] });
  sites.push(site);
  const failing = new Set<string>();
  site.production.registerProbe('errors', ({ snapshot }) =>
    failing.has(snapshot.version) ? { status: 'fail', detail: 'error rate 0.2' } : 'pass',
  );
  await site.production.environments.define({
    id: 'production',
    policy: {
      approvals: { required: 1, roles: ['ops'] },
      operatorRoles: ['ops'],
      autoRollback: { enabled: true, maxConsecutive: 0 },
    },
    verification: {
      scenarios: [],
      monitors: [{ id: 'errors', probe: 'errors', intervalMs: 60_000, failAfter: 1 }],
      bakeTimeMs: 3 * 60_000,
    },
  });
  const secrets: Record<string, string> = { ...SECRETS, oncall: ONCALL_SECRET };
  const client = (keyId: string) =>
    createAgentClient({
      url: site.url,
      keyId,
      secret: secrets[keyId] as string,
      audience: AUDIENCE,
      clock: site.clock,
    });
  return { site, failing, oncall: client('oncall'), as: client };
}

/** A release of `churn` requested for production by `rory`: awaiting approval. */
async function request(site: ProductionSite, version: string) {
  const bundle = await site.production.bundles.create({
    project: 'churn',
    version,
    entries: [{ path: 'model.bin', content: `weights-${version}` }],
    createdBy: designer,
  });
  return site.production.deployments.promote({ bundle: bundle.id, to: 'production', by: requester });
}

/** Requests, approves and bakes a release. */
async function ship(site: ProductionSite, version: string) {
  const deployment = await request(site, version);
  await site.production.deployments.approve(deployment.id, { by: ops });
  await site.production.settle();
  for (let minute = 0; minute < 5; minute++) {
    await site.clock.advance(60_000);
    await site.production.settle();
  }
  return deployment;
}

async function journal(site: ProductionSite, keep: (entry: JournalEntry) => boolean) {
  const entries: JournalEntry[] = [];
  for await (const entry of site.production.journal.read()) if (keep(entry)) entries.push(entry);
  return entries;
}

const transitionsTo = (site: ProductionSite, id: string, to: string) =>
  journal(site, (e) => e.type === 'deployment.transition' && e.subject.id === id && e.data.to === to);

describe('cancel and abandon over HTTP', () => {
  it('cancels a waiting deployment once per Idempotency-Key; a key without "cancel" is refused', async () => {
    const { site, oncall, as } = await world();
    const deployment = await request(site, '1.0.0');
    // The ops key may approve and roll back, not cancel: refused before anything runs.
    await expect(as('ops').cancel(deployment.id, { reason: 'not today' })).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      details: { httpStatus: 403, reason: 'action-not-allowed', action: 'cancel' },
    });
    expect((await site.production.deployments.get(deployment.id))?.status).toBe('awaiting_approval');
    const input = { reason: 'superseded by 1.0.1', idempotencyKey: 'cancel-churn-1.0.0' };
    const first = await oncall.cancel(deployment.id, input);
    expect(first).toMatchObject({ status: 'cancelled', cancellation: { by: { id: 'olga' }, reason: input.reason } });
    // A repeat (a retry after a lost answer) gets the first answer; a second cancel would be illegal.
    expect(await oncall.cancel(deployment.id, input)).toEqual(first);
    expect(await transitionsTo(site, deployment.id, 'cancelled')).toHaveLength(1);
    // Without the caller's key, the repeat is a new command, refused by the machine.
    await expect(oncall.cancel(deployment.id, { reason: input.reason })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
  });

  it('records a key that acts on behalf of people under the person named, with the key’s roles', async () => {
    const site = await startProduction({
      keys: [
        ...testKeys(),
        {
          id: 'design-cancel',
          secrets: [SECRETS.designNext],
          actor: { id: 'design-site', roles: ['designer'] },
          actions: ['promote', 'cancel', 'read'],
          environments: ['production'],
          actOnBehalf: true,
        },
      ],
    });
    sites.push(site);
    const design = createAgentClient({
      url: site.url,
      keyId: 'design-cancel',
      secret: SECRETS.designNext,
      audience: AUDIENCE,
      clock: site.clock,
    });
    const deployment = await request(site, '1.0.0');
    // Neither the design site itself nor another person is the requester or an operator: refused.
    await expect(design.cancel(deployment.id, { reason: 'oops' })).rejects.toMatchObject({ code: 'POLICY_DENIED' });
    await expect(
      design.cancel(deployment.id, { reason: 'oops', by: { id: 'mallory', roles: ['ops'] } }),
    ).rejects.toMatchObject({ code: 'POLICY_DENIED' });
    // Its requester may withdraw it.
    const cancelled = await design.cancel(deployment.id, { reason: 'wrong model', by: requester });
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancellation: { by: { id: requester.id, roles: ['designer'] } },
    });
  });

  it('abandons a deployment once per Idempotency-Key; the same key for another deployment is a conflict', async () => {
    const { site, oncall, as } = await world();
    const deployment = await request(site, '1.0.0');
    await expect(as('ops').abandon(deployment.id, { reason: 'stuck' })).rejects.toMatchObject({
      details: { httpStatus: 403, reason: 'action-not-allowed', action: 'abandon' },
    });
    const input = { reason: 'activation host is gone', idempotencyKey: 'INC-7-abandon' };
    const first = await oncall.abandon(deployment.id, input);
    expect(first).toMatchObject({ status: 'failed', failure: { code: 'abandoned', reason: input.reason } });
    expect(await oncall.abandon(deployment.id, input)).toEqual(first);
    expect(await transitionsTo(site, deployment.id, 'failed')).toHaveLength(1);
    // The same key for another deployment is a conflict, never the first answer.
    const other = await request(site, '1.0.1');
    await expect(oncall.abandon(other.id, input)).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect((await site.production.deployments.get(other.id))?.status).toBe('awaiting_approval');
  });

  it('refuses a cancel outside the key’s environments (403) and one without an Idempotency-Key (428)', async () => {
    const { site, oncall } = await world();
    const bundle = await site.production.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'model.bin', content: 'weights-1.0.0' }],
      createdBy: designer,
    });
    const staged = await site.production.deployments.promote({ bundle: bundle.id, to: 'staging', by: requester });
    await expect(oncall.cancel(staged.id, { reason: 'not mine' })).rejects.toMatchObject({
      details: { httpStatus: 403, reason: 'environment-not-allowed', environment: 'staging' },
    });
    expect((await site.production.deployments.get(staged.id))?.status).toBe(staged.status);
    const deployment = await request(site, '1.0.0');
    const response = await signedFetch(site.url, {
      method: 'POST',
      target: `/v1/deployments/${encodeURIComponent(deployment.id)}/cancel`,
      body: JSON.stringify({ reason: 'r' }),
      keyId: 'oncall',
      secret: ONCALL_SECRET,
      now: site.clock.now(),
    });
    expect(response.status).toBe(428);
    expect((await site.production.deployments.get(deployment.id))?.status).toBe('awaiting_approval');
  });
});

describe('resume over HTTP', () => {
  it('resumes a halted environment once per Idempotency-Key; a key without "resume" is refused', async () => {
    const { site, failing, oncall, as } = await world();
    await ship(site, '1.0.0');
    failing.add('1.1.0');
    await ship(site, '1.1.0');
    expect((await site.production.environments.get('production'))?.status).toBe('halted');
    await expect(as('ops').resume('production', { reason: 'fixed' })).rejects.toMatchObject({
      details: { httpStatus: 403, reason: 'action-not-allowed', action: 'resume' },
    });
    expect((await site.production.environments.get('production'))?.status).toBe('halted');
    const input = { reason: 'fixed the feature store', idempotencyKey: 'INC-8-resume' };
    const first = await oncall.resume('production', input);
    expect(first.status).not.toBe('halted');
    expect(first.consecutiveAutoRollbacks).toBe(0);
    expect(await oncall.resume('production', input)).toEqual(first);
    const resumed = await journal(
      site,
      (e) => e.type === 'environment.status' && e.data.from === 'halted' && e.actor.id === 'olga',
    );
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.reason).toBe(input.reason);
  });
});

describe('monitor silences over HTTP', () => {
  it('silences for a duration on the agent’s clock, lists, and ends a silence, each once per key', async () => {
    const { site, oncall, as } = await world();
    await expect(
      as('ops').silence('production', { monitor: 'errors', durationMs: 60_000, reason: 'load test' }),
    ).rejects.toMatchObject({ details: { httpStatus: 403, reason: 'action-not-allowed', action: 'silence' } });
    await expect(as('ops').unsilence('production', 'errors')).rejects.toMatchObject({
      details: { httpStatus: 403, action: 'silence' },
    });
    expect(await site.production.monitors.silences('production')).toEqual([]);

    const input = { monitor: 'errors', durationMs: 2 * 3_600_000, reason: 'load test', idempotencyKey: 'silence-1' };
    const silence = await oncall.silence('production', input);
    const until = new Date(site.clock.now().getTime() + input.durationMs).toISOString();
    expect(silence).toMatchObject({ environment: 'production', monitor: 'errors', until, by: { id: 'olga' } });
    expect(await oncall.silence('production', input)).toEqual(silence);
    expect(await oncall.silences('production')).toEqual([silence]);
    expect(await journal(site, (e) => e.type === 'monitor.silenced')).toHaveLength(1);
    // "until" and "durationMs" together are refused, and nothing changes.
    await expect(
      oncall.silence('production', { ...input, until, idempotencyKey: 'silence-2' } as never),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      oncall.silence('production', { monitor: 'nope', until, reason: 'x', idempotencyKey: 'silence-3' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const end = { reason: 'load test over', idempotencyKey: 'unsilence-1' };
    const ended = await oncall.unsilence('production', 'errors', end);
    expect(ended).toEqual(silence);
    expect(await oncall.silences('production')).toEqual([]);
    // The repeat is answered with the first answer, though the silence is gone: it acted once.
    expect(await oncall.unsilence('production', 'errors', end)).toEqual(silence);
    expect(await journal(site, (e) => e.type === 'monitor.unsilenced')).toHaveLength(1);
    await expect(oncall.unsilence('production', 'errors', { reason: 'again' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { kind: 'silence' },
    });
  });
});

describe('reads for a terminal', () => {
  it('one environment, its health, an explanation and a page of the journal, within the key’s environments', async () => {
    const { site, oncall, as } = await world();
    await ship(site, '1.0.0');
    const waiting = await request(site, '1.1.0');

    const production = await oncall.environment('production');
    expect(production).toMatchObject({ status: 'ready', active: { snapshot: { version: '1.0.0' } } });
    expect(production?.queue.concat(production.inFlight ?? [])).toContain(waiting.id);
    // Not found is null for a key that sees every environment; a narrower key learns nothing.
    expect(await as('reader').environment('nowhere')).toBeNull();
    await expect(oncall.environment('staging')).rejects.toMatchObject({
      details: { httpStatus: 403, reason: 'environment-not-allowed' },
    });

    const health = await oncall.environmentHealth('production');
    expect(health).toEqual(await site.production.environments.health('production'));
    expect(health.deployment.active).toMatchObject({ version: '1.0.0', status: 'active' });

    const explanation = await oncall.explain({ deployment: waiting.id });
    expect(explanation.deployment).toMatchObject({ id: waiting.id, status: 'awaiting_approval' });
    expect(explanation.deployment?.waitingFor.join(' ')).toContain('approval');
    expect(explanation).toEqual(await site.production.deployments.explain(waiting.id));
    await expect(oncall.explain({ deployment: 'production/999999' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const rorys = await oncall.journal({ actor: 'rory', environment: 'production' });
    expect(rorys.length).toBeGreaterThan(0);
    expect(rorys.every((e) => e.actor.id === 'rory' && e.environment === 'production')).toBe(true);
    const page = await oncall.journal({ limit: 3 });
    expect(page).toHaveLength(3);
    const next = await oncall.journal({ after: page[2]?.seq ?? 0, limit: 1_000 });
    const visible = await journal(site, (e) => e.environment === 'production');
    // The production-only key never sees entries of no environment (bundles) or of staging.
    expect([...page, ...next].map((e) => e.seq)).toEqual(visible.map((e) => e.seq));
    expect((await as('reader').journal({ limit: 1_000 })).length).toBeGreaterThan(visible.length);
    for (const limit of [0, 1_001])
      await expect(oncall.journal({ limit })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { httpStatus: 400 },
      });
  });
});
