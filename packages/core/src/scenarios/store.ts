import { AdapterError } from '../errors/errors.js';
import type { Scenario } from '../model/scenario.js';
import { ScenarioRecord } from '../model/scenario.js';
import { ScenarioLane, ScenarioRun } from '../model/scenario-run.js';
import type { EngineContext } from '../runtime/context.js';
import type { Read } from '../runtime/read.js';
import { KIND, parseStored, readAs } from '../runtime/records.js';

/** @internal */
export const readRun = (context: EngineContext, id: string) => readAs(context, KIND.scenarioRun, id, ScenarioRun);
/** @internal */
export const readLane = (context: EngineContext, id: string) => readAs(context, KIND.scenarioLane, id, ScenarioLane);

/**
 * Every record of a kind, page by page, parsed; `parse` may answer from a cache keyed by version.
 * @internal
 */
export async function listParsed<T>(
  context: EngineContext,
  kind: string,
  parse: (id: string, version: number, value: unknown) => T,
  query: { prefix?: string; after?: string } = {},
): Promise<Array<Read<T> & { id: string }>> {
  const out: Array<Read<T> & { id: string }> = [];
  let after = query.after;
  do {
    const page = await context.store.list(kind, {
      limit: 1000,
      ...(query.prefix === undefined ? {} : { prefix: query.prefix }),
      ...(after === undefined ? {} : { after }),
    });
    for (const row of page.items)
      out.push({ id: row.id, version: row.version, value: parse(row.id, row.version, row.value) });
    after = page.next;
  } while (after !== undefined);
  return out;
}

/**
 * Parsed scenario definitions by id and version, so that each tick does not re-validate them.
 * @internal
 */
export class ScenarioCache {
  readonly #parsed = new Map<string, { version: number; value: ScenarioRecord }>();
  readonly #revisions = new Map<string, Scenario>();

  parse(id: string, version: number, value: unknown): ScenarioRecord {
    const hit = this.#parsed.get(id);
    if (hit && hit.version === version) return hit.value;
    const parsed = parseStored(KIND.scenario, id, version, value, ScenarioRecord);
    this.#parsed.set(id, { version, value: parsed });
    return parsed;
  }

  async list(context: EngineContext): Promise<Array<Read<ScenarioRecord> & { id: string }>> {
    return listParsed(context, KIND.scenario, (id, version, value) => this.parse(id, version, value));
  }

  /**
   * The definition of one revision of a scenario (revisions are immutable, so they stay cached).
   * A missing revision means the store was changed outside Railyard.
   */
  async revision(context: EngineContext, scenario: string, revision: number): Promise<Scenario> {
    const id = `${scenario}@${revision}`;
    const hit = this.#revisions.get(id);
    if (hit) return hit;
    const row = await context.store.get(KIND.scenarioRevision, id);
    if (!row)
      throw new AdapterError(
        `Scenario ${scenario} revision ${revision} is missing from the store. The store was changed outside Railyard; restore it from a backup.`,
        { details: { kind: KIND.scenarioRevision, id } },
      );
    const { definition } = parseStored(KIND.scenarioRevision, id, row.version, row.value, ScenarioRecord);
    if (this.#revisions.size > 1000) this.#revisions.clear();
    this.#revisions.set(id, definition);
    return definition;
  }

  async get(context: EngineContext, id: string): Promise<Read<ScenarioRecord> | null> {
    const row = await context.store.get(KIND.scenario, id);
    return row ? { value: this.parse(id, row.version, row.value), version: row.version } : null;
  }
}
