import type { ProjectCard } from '../../model/project-card.js';
import type { CardChange } from '../../policy/handover.js';

const list = (items: readonly string[]) => (items.length ? items.join('; ') : '(none)');
const show = (value: unknown) => JSON.stringify(value);

/** A project card as indented text lines, for plans and the CLI. @internal */
export function formatCard(card: ProjectCard, digest: string): string[] {
  return [
    `  card ${digest}`,
    `    purpose: ${card.purpose}`,
    ...(card.goals.length ? [`    goals: ${list(card.goals)}`] : []),
    `    owners: ${card.owners.map((o) => `${o.name} (${o.kind}, ${o.contact})`).join('; ')}`,
    `    inputs: ${list(card.inputs)}; outputs: ${list(card.outputs)}`,
    `    risks: ${list(card.risks)}`,
    `    limits: ${list(card.limits)}`,
    `    health: monitors ${list(card.health.monitors)}; scenarios ${list(card.health.scenarios)}`,
    ...(card.runbook ? [`    runbook: ${card.runbook}`] : []),
    ...Object.entries(card.sections).map(([title, text]) => `    ${title}: ${text}`),
  ];
}

/** What changed in a card since the accepted one, as indented text lines. @internal */
export function formatCardDiff(diff: readonly CardChange[] | undefined): string[] {
  return (diff ?? []).map((change) => `      card ${change.section}: ${show(change.before)} → ${show(change.after)}`);
}
