import type { HandoverNotice } from '../../contracts/events.js';
import type { EnvironmentDefinition } from '../../model/environment.js';
import type { ProjectCard } from '../../model/project-card.js';

/** A handover notice for both teams: the environment's owners and the card's owners. @internal */
export function handoverNotice(input: {
  definition: EnvironmentDefinition;
  project: string;
  card?: ProjectCard;
  cardDigest?: string;
  by: string;
  reason: string;
  deploymentId?: string;
}): HandoverNotice {
  return {
    environment: input.definition.id,
    project: input.project,
    role: input.definition.policy.handover?.role ?? '',
    owners: [...input.definition.owners],
    ...(input.cardDigest ? { cardDigest: input.cardDigest } : {}),
    by: input.by,
    reason: input.reason,
    ...(input.deploymentId ? { deploymentId: input.deploymentId } : {}),
    projectContacts: input.card?.owners.map((owner) => `${owner.name} <${owner.contact}>`) ?? [],
  };
}
