import { isDeepStrictEqual } from 'node:util';
import type { BundleManifest } from '../model/bundle.js';
import type { EnvironmentDefinition } from '../model/environment.js';
import type { Handover } from '../model/handover.js';
import { CARD_SECTIONS, type CardSection, type ProjectCard } from '../model/project-card.js';

/** One section of a project card that changed since the card last accepted. */
export interface CardChange {
  /** The section that changed. */
  section: CardSection;
  /** Its value in the accepted card. */
  before: unknown;
  /** Its value in the bundle's card. */
  after: unknown;
}

/** What the handover gate found: nothing to do (`pass`), an acceptance needed, or no card to accept. */
export interface HandoverCheck {
  status: 'pass' | 'needed' | 'no-card';
  reason: string;
  /** The sections named by the policy that changed since the accepted card. */
  changed: CardSection[];
  /** Every section that changed since the accepted card, with both versions. */
  diff: CardChange[];
  /** The digest of the bundle's card, if it has one. */
  cardDigest?: string;
}

const DAY = 86_400_000;

/**
 * Every section of two cards that differs.
 * @internal
 */
export function diffCards(before: ProjectCard, after: ProjectCard): CardChange[] {
  return CARD_SECTIONS.filter((section) => !isDeepStrictEqual(before[section], after[section])).map((section) => ({
    section,
    before: before[section],
    after: after[section],
  }));
}

const major = (version: string) => Number.parseInt(version.split('.')[0] ?? '0', 10);

/**
 * Whether promoting a bundle into an environment needs a handover acceptance, and why; `undefined`
 * when the environment's policy has no handover gate. Pure: the caller reads the record.
 * @internal
 */
export function checkHandover(input: {
  definition: EnvironmentDefinition;
  manifest: BundleManifest;
  cardDigest?: string;
  record: Handover | null;
  now: Date;
}): HandoverCheck | undefined {
  const gate = input.definition.policy.handover;
  if (!gate) return undefined;
  const { manifest, record, cardDigest } = input;
  const label = `${manifest.project}@${manifest.version}`;
  if (!manifest.card || cardDigest === undefined) {
    return {
      status: 'no-card',
      reason: `${label} has no project card, and ${input.definition.id} hands projects over to role ${gate.role}: add "card" to railyard.project.json and build the bundle again.`,
      changed: [],
      diff: [],
    };
  }
  const found = { cardDigest, diff: [] as CardChange[], changed: [] as CardSection[] };
  if (!record)
    return { ...found, status: 'needed', reason: `first promotion of ${manifest.project} into ${input.definition.id}` };
  const diff = diffCards(record.card, manifest.card);
  const changed = diff.map((change) => change.section).filter((section) => gate.sections.includes(section));
  const seen = { cardDigest, diff, changed };
  if (record.status === 'withdrawn') {
    const { by, at, reason } = record.withdrawn;
    return { ...seen, status: 'needed', reason: `the acceptance was withdrawn by ${by.id} at ${at} (${reason})` };
  }
  if (gate.expiresAfterDays !== undefined) {
    const expiresAt = Date.parse(record.at) + gate.expiresAfterDays * DAY;
    if (input.now.getTime() >= expiresAt) {
      return {
        ...seen,
        status: 'needed',
        reason: `the acceptance by ${record.by.id} on ${record.at} expired at ${new Date(expiresAt).toISOString()} (after ${gate.expiresAfterDays} days)`,
      };
    }
  }
  if (gate.reacceptOnMajor && major(manifest.version) > major(record.version)) {
    return {
      ...seen,
      status: 'needed',
      reason: `${manifest.version} is a new major version (the card was accepted for ${record.version})`,
    };
  }
  if (changed.length > 0) return { ...seen, status: 'needed', reason: `card changed in ${changed.join(', ')}` };
  const others = diff.map((change) => change.section);
  return {
    ...seen,
    status: 'pass',
    reason: others.length
      ? `card accepted by ${record.by.id} on ${record.at}; it changed only in ${others.join(', ')}, which the handover policy does not name`
      : `card accepted by ${record.by.id} on ${record.at}`,
  };
}
