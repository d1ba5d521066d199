import * as z from 'zod';
import { parseInput } from '../model/parse-input.js';
import { Slug, Timestamp } from '../model/primitives.js';
import { ScenarioRun, type ScenarioRunStatus } from '../model/scenario-run.js';
import { KIND, parseStored } from '../runtime/records.js';
import type { ScenarioRuntime } from './runtime.js';
import { listParsed, readRun } from './store.js';

const Status = z.enum(['queued', 'running', 'succeeded', 'warning', 'failed', 'aborted', 'timed_out']);

/**
 * Which runs `scenarios.runs` returns: by scenario, environment, deployment, status, and the time
 * they were queued (`since` inclusive, `until` exclusive), newest first unless `order` says
 * `oldest`, at most `limit`.
 *
 * @example
 * ```ts
 * const failures = await railyard.scenarios.runs({ scenario: 'nightly', status: ['failed', 'timed_out'], since: '2026-03-01T00:00:00.000Z' });
 * ```
 * @hidden
 */
export const RunQuery = z
  .object({
    scenario: Slug.optional(),
    environment: Slug.optional(),
    deploymentId: z.string().min(1).max(200).optional(),
    status: z.array(Status).min(1).optional(),
    since: Timestamp.optional(),
    until: Timestamp.optional(),
    order: z.enum(['newest', 'oldest']).default('newest'),
    limit: z.number().int().min(1).max(10_000).default(100),
  })
  .strict();
/** Which runs `scenarios.runs` returns. */
export type RunQuery = z.input<typeof RunQuery>;

/**
 * Lists runs matching a query, by the time they were queued. Filters are applied to the stored
 * values before they are parsed. (Ids of triggered and manual runs sort by time, but verification
 * runs are named after their deployment, so the time bounds read `queuedAt`.)
 * @internal
 */
export async function listRuns(rt: ScenarioRuntime, input: RunQuery = {}): Promise<ScenarioRun[]> {
  const query = parseInput(RunQuery, input, 'scenarios.runs');
  const statuses = query.status ? new Set<ScenarioRunStatus>(query.status) : undefined;
  const keep = (raw: unknown): boolean => {
    const value = raw as Partial<Record<'scenario' | 'environment' | 'deploymentId' | 'status' | 'queuedAt', unknown>>;
    const queuedAt = typeof value.queuedAt === 'string' ? value.queuedAt : '';
    if (query.since !== undefined && queuedAt < query.since) return false;
    if (query.until !== undefined && queuedAt >= query.until) return false;
    if (query.scenario !== undefined && value.scenario !== query.scenario) return false;
    if (query.environment !== undefined && value.environment !== query.environment) return false;
    if (query.deploymentId !== undefined && value.deploymentId !== query.deploymentId) return false;
    return !statuses || statuses.has(value.status as ScenarioRunStatus);
  };
  const rows = await listParsed(rt.context, KIND.scenarioRun, (id, version, raw) =>
    keep(raw) ? parseStored(KIND.scenarioRun, id, version, raw, ScenarioRun) : undefined,
  );
  // Stable: runs queued at the same instant keep their id order.
  const runs = rows
    .flatMap((row) => (row.value ? [row.value] : []))
    .sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : 0));
  if (query.order === 'newest') runs.reverse();
  return runs.slice(0, query.limit);
}

/** One run, or `null`. @internal */
export async function getRun(rt: ScenarioRuntime, id: unknown): Promise<ScenarioRun | null> {
  const runId = parseInput(z.string().min(1).max(200), id, 'scenarios.getRun');
  return (await readRun(rt.context, runId))?.value ?? null;
}
