import type { PolicyInput, ProjectCard, Railyard } from '@railyard/core';
import { createWorld, designer, requester } from '../deployments/fixtures.js';

export const itOps = { id: 'ann', roles: ['it-ops'] };
export const itOps2 = { id: 'bo', roles: ['it-ops'] };

export const card: ProjectCard = {
  purpose: 'Scores customers by churn risk every night.',
  goals: ['flag churners a month ahead'],
  owners: [{ name: 'analytics', kind: 'group', contact: 'analytics@example.com' }],
  inputs: ['warehouse.customers'],
  outputs: ['crm.churn_scores'],
  risks: ['a stale feature store scores everyone low'],
  limits: ['EU customers only'],
  health: { monitors: ['freshness'], scenarios: ['smoke'] },
  runbook: 'Roll back; the CRM keeps yesterday scores.',
  sections: {},
};

/** design → live, where live hands projects over to `it-ops` and needs `approvals` approvals from `ops`. */
export async function handoverWorld(handover: NonNullable<PolicyInput['handover']>, approvals = 1) {
  const world = await createWorld();
  await world.railyard.environments.define({
    id: 'live',
    promotesFrom: ['design'],
    owners: ['IT operations <it-ops@example.com>'],
    policy: { approvals: { required: approvals, roles: ['ops'] }, operatorRoles: ['ops'], handover },
  });
  return world;
}

/** Builds `churn@version` with a card, runs it in design, and requests it in live (as `requester`). */
export async function requestLive(railyard: Railyard, version: string, withCard: ProjectCard | null = card) {
  const bundle = await railyard.bundles.create({
    project: 'churn',
    version,
    entries: [{ path: 'model.bin', content: `model ${version}` }],
    createdBy: designer,
    ...(withCard ? { card: withCard } : {}),
  });
  await railyard.deployments.promote({ bundle: bundle.id, to: 'design', by: designer });
  await railyard.settle();
  const deployment = await railyard.deployments.promote({ bundle: bundle.id, to: 'live', by: requester });
  return { bundle, deployment };
}

/** The handover gate of a deployment's plan. */
export async function handoverGate(railyard: Railyard, deployment: string) {
  const plan = await railyard.deployments.plan({ deployment });
  const gate = plan.gates.find((g) => g.gate === 'handover');
  if (!gate) throw new Error('the plan has no handover gate');
  return { plan, gate, cardDigest: String(gate.details?.cardDigest) };
}
