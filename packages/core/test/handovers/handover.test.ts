import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandoverNotice, JournalEntry } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { designer, operator, requester } from '../deployments/fixtures.js';
import { card, handoverGate, handoverWorld, itOps, itOps2, requestLive } from './world.js';

const DAY = 86_400_000;

async function journal(world: { railyard: { journal: { read(q: object): AsyncIterable<JournalEntry> } } }) {
  const entries: JournalEntry[] = [];
  for await (const entry of world.railyard.journal.read({ environment: 'live' })) entries.push(entry);
  return entries;
}

describe('handover', () => {
  it('holds the first promotion until an owner accepts the card, then lets it through', async () => {
    const world = await handoverWorld({ role: 'it-ops' });
    const { railyard } = world;
    const pending: HandoverNotice[] = [];
    railyard.events.on('handover.pending', (notice) => pending.push(notice));
    const { deployment } = await requestLive(railyard, '1.0.0');
    expect(deployment.status).toBe('awaiting_approval');
    const { plan, gate, cardDigest } = await handoverGate(railyard, deployment.id);
    expect(gate).toMatchObject({ status: 'pending' });
    expect(gate.reason).toBe(
      'waiting for handover acceptance by role it-ops (owners: IT operations <it-ops@example.com>): first promotion of churn into live',
    );
    expect(plan.card).toEqual({ digest: cardDigest, card });
    expect(plan.text).toContain(`card ${cardDigest}`);
    expect(plan.text).toContain('risks: a stale feature store scores everyone low');
    expect(pending).toMatchObject([
      { environment: 'live', project: 'churn', role: 'it-ops', deploymentId: deployment.id, cardDigest },
    ]);
    expect(pending[0]?.projectContacts).toEqual(['analytics <analytics@example.com>']);
    const explained = await railyard.deployments.explain(deployment.id);
    expect(explained.text).toContain('waiting for handover acceptance by role it-ops');

    await expect(railyard.deployments.approve(deployment.id, { by: operator })).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      rule: 'handover',
    });
    expect((await railyard.deployments.get(deployment.id))?.approvals).toEqual([]);
    expect((await journal(world)).filter((e) => e.type === 'decision.refused').map((e) => e.data.rule)).toEqual([
      'handover',
    ]);

    const accepted = await railyard.handovers.accept({
      environment: 'live',
      project: 'churn',
      cardDigest,
      by: itOps,
      comment: 'walked through the risks with analytics',
    });
    expect(accepted).toMatchObject({ status: 'accepted', version: '1.0.0', cardDigest, card, by: itOps });
    expect((await handoverGate(railyard, deployment.id)).gate.status).toBe('pass');
    await railyard.deployments.approve(deployment.id, { by: operator });
    await railyard.settle();
    expect((await railyard.environments.get('live'))?.active?.deploymentId).toBe(deployment.id);
  });

  it('refuses the author and the requester as acceptors, and actors without the role', async () => {
    const world = await handoverWorld({ role: 'it-ops' });
    const { railyard } = world;
    const { deployment } = await requestLive(railyard, '1.0.0');
    const { cardDigest } = await handoverGate(railyard, deployment.id);
    const accept = (by: { id: string; roles: string[] }) =>
      railyard.handovers.accept({ environment: 'live', project: 'churn', cardDigest, by, comment: 'fine' });
    await expect(accept({ ...designer, roles: ['it-ops'] })).rejects.toMatchObject({ rule: 'separation-of-duties' });
    await expect(accept({ id: ' REQUESTER ', roles: ['it-ops'] })).rejects.toMatchObject({
      rule: 'separation-of-duties',
    });
    await expect(accept(operator)).rejects.toMatchObject({ rule: 'handover-role' });
    await expect(
      railyard.handovers.accept({
        environment: 'live',
        project: 'churn',
        cardDigest: `sha256:${'0'.repeat(64)}`,
        by: itOps,
        comment: 'x',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await railyard.handovers.get({ environment: 'live', project: 'churn' })).toBeNull();
    expect(await railyard.handovers.history({ environment: 'live', project: 'churn' })).toEqual([]);
    const refused = (await journal(world)).filter((e) => e.type === 'decision.refused');
    expect(refused.map((e) => [e.actor.id, e.data.rule])).toEqual([
      ['designer', 'separation-of-duties'],
      ['REQUESTER', 'separation-of-duties'],
      ['operator', 'handover-role'],
    ]);
  });

  it('re-opens the gate when the card changes in a named section (risks), not in purpose', async () => {
    const world = await handoverWorld({ role: 'it-ops', sections: ['owners', 'risks', 'outputs'] });
    const { railyard } = world;
    const first = await requestLive(railyard, '1.0.0');
    const { cardDigest } = await handoverGate(railyard, first.deployment.id);
    await railyard.handovers.accept({ environment: 'live', project: 'churn', cardDigest, by: itOps, comment: 'ok' });
    await railyard.deployments.approve(first.deployment.id, { by: operator });
    await railyard.settle();

    const purpose = await requestLive(railyard, '1.1.0', {
      ...card,
      purpose: 'Scores customers by churn risk hourly.',
    });
    const open = await handoverGate(railyard, purpose.deployment.id);
    expect(open.gate.status).toBe('pass');
    expect(open.gate.reason).toContain('changed only in purpose');
    await railyard.deployments.approve(purpose.deployment.id, { by: operator });
    await railyard.settle();
    expect((await railyard.environments.get('live'))?.active?.snapshot.version).toBe('1.1.0');

    const risky = { ...card, risks: [...card.risks, 'scores drift after price changes'] };
    const risks = await requestLive(railyard, '1.2.0', risky);
    const reopened = await handoverGate(railyard, risks.deployment.id);
    expect(reopened.gate.status).toBe('pending');
    expect(reopened.gate.reason).toMatch(/: card changed in risks$/);
    expect(reopened.gate.details?.cardDiff).toEqual([{ section: 'risks', before: card.risks, after: risky.risks }]);
    expect(reopened.plan.text).toContain('card risks: ["a stale feature store scores everyone low"] →');
    await expect(railyard.deployments.approve(risks.deployment.id, { by: operator })).rejects.toMatchObject({
      rule: 'handover',
    });
    await railyard.handovers.accept({
      environment: 'live',
      project: 'churn',
      cardDigest: reopened.cardDigest,
      by: itOps2,
      comment: 'drift is monitored',
    });
    await railyard.deployments.approve(risks.deployment.id, { by: operator });
    await railyard.settle();

    const history = await railyard.handovers.history({ environment: 'live', project: 'churn' });
    expect(history.map((h) => [h.action, h.by.id, h.cardDigest, h.version, h.comment])).toEqual([
      ['accepted', 'ann', cardDigest, '1.0.0', 'ok'],
      ['accepted', 'bo', reopened.cardDigest, '1.2.0', 'drift is monitored'],
    ]);
    expect(history[1]?.card?.risks).toEqual(risky.risks);
  });

  it('expires an acceptance after N days by the clock, and at a new major version', async () => {
    const world = await handoverWorld({ role: 'it-ops', expiresAfterDays: 30, reacceptOnMajor: true });
    const { railyard, clock } = world;
    const first = await requestLive(railyard, '1.0.0');
    const { cardDigest } = await handoverGate(railyard, first.deployment.id);
    await railyard.handovers.accept({ environment: 'live', project: 'churn', cardDigest, by: itOps, comment: 'ok' });
    await railyard.deployments.approve(first.deployment.id, { by: operator });
    await railyard.settle();

    const major = await requestLive(railyard, '2.0.0');
    expect((await handoverGate(railyard, major.deployment.id)).gate.reason).toContain(
      '2.0.0 is a new major version (the card was accepted for 1.0.0)',
    );
    await railyard.deployments.cancel(major.deployment.id, { by: requester });

    await clock.advance(29 * DAY);
    const inTime = await requestLive(railyard, '1.1.0');
    expect((await handoverGate(railyard, inTime.deployment.id)).gate.status).toBe('pass');
    await clock.advance(1 * DAY);
    const late = await handoverGate(railyard, inTime.deployment.id);
    expect(late.gate.status).toBe('pending');
    expect(late.gate.reason).toContain('expired at 2026-04-01T09:00:00.000Z (after 30 days)');
    await expect(railyard.deployments.approve(inTime.deployment.id, { by: operator })).rejects.toMatchObject({
      rule: 'handover',
    });
  });

  it('blocks the next promotion after a withdrawal, leaves the active deployment running, and tells both teams', async () => {
    const world = await handoverWorld({ role: 'it-ops' });
    const { railyard } = world;
    const first = await requestLive(railyard, '1.0.0');
    const { cardDigest } = await handoverGate(railyard, first.deployment.id);
    await railyard.handovers.accept({ environment: 'live', project: 'churn', cardDigest, by: itOps, comment: 'ok' });
    await railyard.deployments.approve(first.deployment.id, { by: operator });
    await railyard.settle();
    const withdrawn: HandoverNotice[] = [];
    railyard.events.on('handover.withdrawn', (notice) => withdrawn.push(notice));

    await expect(
      railyard.handovers.withdraw({ environment: 'live', project: 'churn', by: operator, reason: 'no' }),
    ).rejects.toMatchObject({ rule: 'handover-role' });
    const record = await railyard.handovers.withdraw({
      environment: 'live',
      project: 'churn',
      by: itOps2,
      reason: 'the analytics team was reorganised',
    });
    expect(record).toMatchObject({ status: 'withdrawn', cardDigest, withdrawn: { by: itOps2 } });
    expect(withdrawn).toMatchObject([
      { environment: 'live', project: 'churn', by: 'bo', owners: ['IT operations <it-ops@example.com>'] },
    ]);
    expect(withdrawn[0]?.projectContacts).toEqual(['analytics <analytics@example.com>']);

    const live = await railyard.environments.get('live');
    expect(live?.active?.deploymentId).toBe(first.deployment.id);
    expect((await railyard.deployments.get(first.deployment.id))?.status).toBe('active');

    const next = await requestLive(railyard, '1.1.0');
    const gate = await handoverGate(railyard, next.deployment.id);
    expect(gate.gate.reason).toContain('the acceptance was withdrawn by bo');
    await expect(railyard.deployments.approve(next.deployment.id, { by: operator })).rejects.toMatchObject({
      rule: 'handover',
    });

    const entries = (await journal(world)).filter((e) => e.type.startsWith('handover.'));
    expect(entries.map((e) => [e.type, e.actor.id, e.data.cardDigest, e.reason])).toEqual([
      ['handover.accepted', 'ann', cardDigest, 'ok'],
      ['handover.withdrawn', 'bo', cardDigest, 'the analytics team was reorganised'],
    ]);
    expect(entries[0]?.data.card).toEqual(card);
  });

  it('refuses the promotion itself when no approval would hold it, and a bundle without a card', async () => {
    const world = await handoverWorld({ role: 'it-ops' }, 0);
    const { railyard } = world;
    await expect(requestLive(railyard, '1.0.0')).rejects.toMatchObject({ rule: 'handover' });
    await expect(requestLive(railyard, '1.0.1', null)).rejects.toMatchObject({
      rule: 'handover',
      message: expect.stringContaining('has no project card'),
    });
    expect((await railyard.environments.get('live'))?.queue).toEqual([]);
  });

  it('validates the card with errors naming the field', async () => {
    const { railyard } = await handoverWorld({ role: 'it-ops' });
    await expect(
      railyard.bundles.create({
        project: 'churn',
        version: '1.0.0',
        entries: [],
        createdBy: designer,
        card: { ...card, owners: [] },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('card.owners') });
    await expect(
      railyard.environments.define({
        id: 'bad',
        policy: { handover: { role: 'it-ops', sections: ['risk' as 'risks'] } },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('policy.handover.sections') });
  });

  it('reads the card from railyard.project.json into the manifest, and names a bad field', async () => {
    const { railyard } = await handoverWorld({ role: 'it-ops' });
    const dir = await mkdtemp(join(tmpdir(), 'railyard-card-'));
    try {
      await writeFile(join(dir, 'model.bin'), 'weights');
      await writeFile(join(dir, 'railyard.project.json'), JSON.stringify({ project: 'churn', card }));
      const built = await railyard.bundles.build({ dir, version: '1.0.0', createdBy: designer });
      expect(built.manifest.card).toEqual(card);
      expect(built.manifest.entries.map((e) => e.path)).toEqual(['model.bin']);
      await writeFile(
        join(dir, 'railyard.project.json'),
        JSON.stringify({ project: 'churn', card: { ...card, purpose: '' } }),
      );
      await expect(railyard.bundles.build({ dir, version: '1.0.1', createdBy: designer })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('card.purpose: a project card needs a purpose'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
