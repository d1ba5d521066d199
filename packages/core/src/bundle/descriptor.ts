import * as z from 'zod';
import { Requirements } from '../model/bundle.js';
import { Slug } from '../model/primitives.js';
import { ProjectCard } from '../model/project-card.js';
import { ScenarioDefinition } from '../model/verification.js';

/** The project descriptor's file name, in the project's root. */
export const DESCRIPTOR_FILE = 'railyard.project.json';

/** The kinds of entry a descriptor can assign by glob. @hidden */
export const EntryKind = z.enum(['pipeline', 'dataset', 'model', 'config', 'code', 'data']);
/** The kinds of entry a descriptor can assign by glob. */
export type EntryKind = z.output<typeof EntryKind>;

const Glob = z.string().min(1).max(500);

/**
 * `railyard.project.json`: what a project is made of and what it needs. Paths are matched with
 * globs relative to the project root; the first `kinds` glob that matches names an entry's kind.
 * `localVariables` are for working on the design site and never travel in a bundle (nor does the
 * descriptor file itself: its travelling parts, requirements and scenarios, go into the manifest).
 *
 * @example
 * ```json
 * {
 *   "project": "churn-model",
 *   "kinds": { "model": ["models/**"], "pipeline": ["pipelines/*.sql"], "config": ["*.yaml"] },
 *   "exclude": ["**\/*.tmp"],
 *   "requirements": { "variables": ["REGION"], "connections": ["warehouse"], "stepTypes": ["http-check"] },
 *   "scenarios": [{ "id": "smoke", "steps": [{ "type": "http-check", "params": { "path": "/health" } }] }],
 *   "localVariables": { "SAMPLE_ROWS": "1000" }
 * }
 * ```
 * @hidden
 */
export const ProjectDescriptor = z
  .object({
    $schema: z.string().optional(),
    project: Slug,
    kinds: z.partialRecord(EntryKind, z.array(Glob)).default({}),
    include: z.array(Glob).default(['**']),
    exclude: z.array(Glob).default([]),
    requirements: Requirements.default({ variables: [], connections: [], stepTypes: [] }),
    scenarios: z.array(ScenarioDefinition).max(100).default([]),
    localVariables: z.record(z.string(), z.string()).default({}),
    /** The project card: what an environment's owners accept at handover (docs/handover.md). */
    card: ProjectCard.optional(),
  })
  .strict();
/** `railyard.project.json`, parsed. */
export type ProjectDescriptor = z.output<typeof ProjectDescriptor>;

/** Directories never bundled, at any depth, whatever the descriptor says. */
export const EXCLUDED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules', '.railyard']);
