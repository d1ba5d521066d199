import {
  type CommitResult,
  canonicalJson,
  type JournalDraft,
  type JournalEntry,
  type Transaction,
} from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { DeploymentInvariantError, toStoreError } from './errors.js';
import { INVARIANT_INDEXES } from './migrations.js';
import type { PgPool } from './pool.js';
import type { SchemaNames } from './schema-name.js';

const PREV = '"prevHash":"';
const SEQ = '"seq":';

/**
 * A journal draft as canonical JSON, cut around the two values only the database knows: the
 * previous hash and the sequence number. Joining the parts with them gives exactly the text the
 * core's `hashJournalEntry` hashes. Canonical JSON sorts keys, so the top-level `prevHash` and
 * `seq` are the last occurrences (everything after them is `reason`, `subject` and `type`, whose
 * quotes are escaped), and it never contains a raw newline, which separates the parts on the wire.
 * @internal
 */
export function journalParts(draft: JournalDraft): [string, string, string] {
  const text = canonicalJson({ ...draft, prevHash: '', seq: 0 });
  const prev = text.lastIndexOf(`${PREV}"`) + PREV.length;
  const seq = text.lastIndexOf(`${SEQ}0`) + SEQ.length;
  return [text.slice(0, prev), text.slice(prev, seq), text.slice(seq + 1)];
}

interface CommitReply {
  versions: number[];
  first: number | null;
  prev: string | null;
  hashes: string[];
}

/**
 * Runs one commit as one call of the schema's commit function: one statement, one round trip,
 * one transaction. Writes are sent sorted by (kind, id), so concurrent commits lock rows in the
 * same order and cannot deadlock; versions come back in the caller's order.
 * @internal
 */
export async function commitTransaction(
  pool: PgPool,
  names: SchemaNames,
  tx: Transaction,
  origin: string | null,
): Promise<CommitResult> {
  const order = tx.writes.map((_, index) => index);
  order.sort((a, b) => compareWrites(tx.writes[a]!, tx.writes[b]!));
  const writes = order.map((index) => {
    const write = tx.writes[index]!;
    if (write.value === undefined) {
      throw new ValidationError(
        `commit: ${write.kind} "${write.id}" has value undefined; write a JSON value, or null to delete the record.`,
      );
    }
    return { k: write.kind, i: write.id, e: write.expectedVersion, v: write.value };
  });
  for (let i = 1; i < order.length; i++) {
    const [a, b] = [tx.writes[order[i - 1]!]!, tx.writes[order[i]!]!];
    if (compareWrites(a, b) === 0)
      throw new ValidationError(`commit: ${a.kind} "${a.id}" is written twice in one transaction; write it once.`);
  }
  const parts = tx.journal.map(journalParts);
  let reply: CommitReply;
  try {
    const result = await pool.query({
      name: `${names.statement}commit`,
      text: `SELECT ${names.commit}($1::jsonb, $2::text, $3::text) AS r`,
      values: [JSON.stringify(writes), parts.map((p) => p.join('\n')).join('\n'), origin],
    });
    reply = result.rows[0]?.r as CommitReply;
  } catch (error) {
    throw invariantError(error, tx) ?? toStoreError(error, 'commit');
  }
  const versions = new Array<number>(order.length);
  order.forEach((index, position) => {
    versions[index] = Number(reply.versions[position]);
  });
  const first = Number(reply.first);
  const journal = parts.map((p, i): JournalEntry => {
    const prevHash = i === 0 ? (reply.prev as string) : (reply.hashes[i - 1] as string);
    const entry = JSON.parse(`${p[0]}${prevHash}${p[1]}${first + i}${p[2]}`) as JournalEntry;
    entry.hash = reply.hashes[i] as string;
    return entry;
  });
  return { versions, journal };
}

function compareWrites(a: { kind: string; id: string }, b: { kind: string; id: string }): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A unique violation of one of the deployment invariants, as the error of the write that caused it. */
function invariantError(error: unknown, tx: Transaction): DeploymentInvariantError | undefined {
  const { code, constraint, detail } = (error ?? {}) as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (code !== '23505' || typeof constraint !== 'string' || !(constraint in INVARIANT_INDEXES)) return undefined;
  const invariant = INVARIANT_INDEXES[constraint as keyof typeof INVARIANT_INDEXES];
  // detail: Key ((value ->> 'environment'::text))=(production) already exists.
  const environment = /\)=\((.*)\) already exists/.exec(String(detail))?.[1] ?? '';
  const write = tx.writes.find((w) => {
    const value = w.value as { environment?: unknown } | null;
    return w.kind === 'deployment' && value !== null && value?.environment === environment;
  });
  return new DeploymentInvariantError({
    invariant,
    environment,
    id: write?.id ?? '(unknown)',
    expected: write?.expectedVersion ?? null,
  });
}
