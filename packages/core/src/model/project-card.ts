import * as z from 'zod';

/**
 * Someone accountable for a project: a person or a group, and how to reach them.
 *
 * @example
 * ```ts
 * const owner: CardOwner = { name: 'analytics', kind: 'group', contact: 'analytics@example.com' };
 * ```
 */
export interface CardOwner {
  /** A person's or a group's name. */
  name: string;
  /** Whether `name` is a person or a group. */
  kind: 'person' | 'group';
  /** How to reach them (an address, a channel, a phone rota). */
  contact: string;
}

/**
 * A project card: what the team accountable for an environment must know before it takes the
 * project on. It lives in `railyard.project.json` under `card` and travels in the bundle's manifest,
 * so it is part of the bundle's digest.
 *
 * @example
 * ```ts
 * const card: ProjectCard = {
 *   purpose: 'Scores customers by churn risk every night.',
 *   goals: ['flag 80% of churners a month ahead'],
 *   owners: [{ name: 'analytics', kind: 'group', contact: 'analytics@example.com' }],
 *   inputs: ['warehouse.customers'], outputs: ['crm.churn_scores'],
 *   risks: ['a stale feature store scores everyone low'], limits: ['EU customers only'],
 *   health: { monitors: ['freshness'], scenarios: ['smoke'] },
 *   runbook: 'If scoring fails, roll back; the CRM keeps yesterday's scores.',
 *   sections: {},
 * };
 * ```
 */
export interface ProjectCard {
  /** What the project is for, in a few sentences. */
  purpose: string;
  /** What it aims to achieve. */
  goals: string[];
  /** Who answers for it (at least one). */
  owners: CardOwner[];
  /** What it reads. */
  inputs: string[];
  /** What it writes or serves. */
  outputs: string[];
  /** Known risks. */
  risks: string[];
  /** Known limits. */
  limits: string[];
  /** How to tell it is healthy: the monitors and scenarios to watch, by name. */
  health: {
    /** Monitor ids. */
    monitors: string[];
    /** Scenario ids. */
    scenarios: string[];
  };
  /** What to do when it fails, and how to roll back. */
  runbook: string;
  /** Free sections, by title. */
  sections: Record<string, string>;
}

/** The sections of a project card, as a handover policy names them. */
export type CardSection = keyof ProjectCard;

/** Every section of a project card, in the order they are shown. @internal */
export const CARD_SECTIONS = [
  'purpose',
  'goals',
  'owners',
  'inputs',
  'outputs',
  'risks',
  'limits',
  'health',
  'runbook',
  'sections',
] as const satisfies readonly CardSection[];

const Line = z.string().min(1).max(2000);
const Lines = z.array(Line).max(100).default([]);

/** A card owner. @hidden */
export const CardOwner = z
  .object({ name: z.string().min(1).max(200), kind: z.enum(['person', 'group']), contact: z.string().min(1).max(500) })
  .strict() satisfies z.ZodType<CardOwner>;

/** A project card, validated; every field but `purpose` and `owners` may be omitted. @hidden */
export const ProjectCard = z
  .object({
    purpose: z.string().min(1, 'a project card needs a purpose').max(10_000),
    goals: Lines,
    owners: z.array(CardOwner).min(1, 'a project card names at least one owner').max(50),
    inputs: Lines,
    outputs: Lines,
    risks: Lines,
    limits: Lines,
    health: z
      .object({ monitors: z.array(Line).max(100).default([]), scenarios: z.array(Line).max(100).default([]) })
      .strict()
      .default({ monitors: [], scenarios: [] }),
    runbook: z.string().max(100_000).default(''),
    sections: z.record(z.string().min(1).max(200), z.string().max(100_000)).default({}),
  })
  .strict() satisfies z.ZodType<ProjectCard, unknown>;

/** A card section name, checked. @hidden */
export const CardSection = z.enum(CARD_SECTIONS);
