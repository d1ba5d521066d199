import * as z from 'zod';
import { sha256Hex } from '../bundle/canonical-json.js';
import type { RecordWrite } from '../contracts/state-store.js';
import { AdapterError } from '../errors/errors.js';
import type { JournalEntry } from '../model/journal.js';

// On disk every log line and the snapshot are framed the same way, so the checksum covers the exact
// payload bytes and a reader never re-serialises to check it:
//   {"sha256":"<64 hex>","payload":<payload JSON>}
const HEAD = '{"sha256":"';
const MIDDLE = '","payload":';
const PAYLOAD_AT = HEAD.length + 64 + MIDDLE.length;

/**
 * Frames a payload with the sha256 of its JSON text.
 * @internal
 *
 * @example
 * ```ts
 * const { text, payloadJson } = frame({ n: 1, writes: [], versions: [], journal: [] });
 * ```
 */
export function frame(payload: unknown): { text: string; payloadJson: string } {
  const payloadJson = JSON.stringify(payload);
  return { text: `${HEAD}${sha256Hex(payloadJson)}${MIDDLE}${payloadJson}}`, payloadJson };
}

/**
 * The payload of a framed text, or `null` when the frame, JSON or checksum is wrong.
 * @internal
 *
 * @example
 * ```ts
 * unframe(frame({ a: 1 }).text); // { a: 1 }
 * ```
 */
export function unframe(text: string): unknown {
  if (!text.startsWith(HEAD) || text.slice(HEAD.length + 64, PAYLOAD_AT) !== MIDDLE || !text.endsWith('}')) return null;
  const payloadJson = text.slice(PAYLOAD_AT, -1);
  if (sha256Hex(payloadJson) !== text.slice(HEAD.length, HEAD.length + 64)) return null;
  try {
    return JSON.parse(payloadJson);
  } catch {
    return null;
  }
}

// Journal entries are checked by re-hashing the chain on load, so only their skeleton is checked here;
// a strict schema would refuse entries the store accepted when they were written.
const StoredEntry = z.looseObject({
  seq: z.number().int().positive(),
  prevHash: z.string(),
  hash: z.string(),
  actor: z.looseObject({ id: z.string() }),
});
const entries = z.array(StoredEntry).transform((list) => list as unknown as JournalEntry[]);

/** One commit as a log line records it. @internal */
export const LogCommit = z.object({
  n: z.number().int().positive(),
  writes: z.array(
    z.object({
      kind: z.string(),
      id: z.string(),
      expectedVersion: z.number().int().positive().nullable(),
      value: z.unknown(),
    }),
  ),
  versions: z.array(z.number().int().positive()),
  journal: entries,
});
/** One commit as a log line records it. @internal */
export type LogCommit = Omit<z.output<typeof LogCommit>, 'writes'> & { writes: RecordWrite[] };

/** Everything committed up to commit `commits`, as `snapshot.json` holds it. @internal */
export const Snapshot = z.object({
  format: z.literal(1),
  commits: z.number().int().nonnegative(),
  records: z.array(
    z.object({ kind: z.string(), id: z.string(), version: z.number().int().positive(), value: z.unknown() }),
  ),
  journal: entries,
});
/** Everything committed up to a commit number. @internal */
export type Snapshot = z.output<typeof Snapshot>;

/** Where a log's valid prefix ends, and its commits. @internal */
export interface ParsedLog {
  commits: LogCommit[];
  /** Byte length of the valid prefix; anything after it is a torn write or a bad line. */
  validLength: number;
  /**
   * The first line that fails its frame, checksum or schema, if any. `final` when it is the log's
   * last line: complete (it ends with its newline) and free of NUL bytes, yet corrupt, which a
   * crash does not cause. A bad line followed by others is never final.
   */
  bad?: { line: number; final: boolean };
}

/**
 * Parses `log.ndjson`. A final line that is unterminated, or holds NUL bytes (blocks of a write that
 * never reached the disk), is a write torn by a crash (never acknowledged) and is left out of
 * `validLength`; any other bad line is reported in `bad` for the loader to judge.
 * @internal
 *
 * @example
 * ```ts
 * const { commits, validLength, bad } = parseLog(await readFile(path));
 * ```
 */
export function parseLog(bytes: Buffer): ParsedLog {
  const commits: LogCommit[] = [];
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    line++;
    const newline = bytes.indexOf(0x0a, start);
    if (newline === -1) return { commits, validLength: start };
    const parsed = LogCommit.safeParse(unframe(bytes.toString('utf8', start, newline)));
    if (!parsed.success) {
      // NUL bytes are what a crash leaves where a write's blocks did not reach the disk: torn.
      const torn = newline === bytes.length - 1 && bytes.subarray(start, newline).includes(0);
      if (torn) return { commits, validLength: start };
      return { commits, validLength: start, bad: { line, final: newline === bytes.length - 1 } };
    }
    commits.push(parsed.data as LogCommit);
    start = newline + 1;
  }
  return { commits, validLength: start };
}

/**
 * The error for a store whose files are inconsistent in a way a crash cannot cause.
 * @internal
 *
 * @example
 * ```ts
 * throw storeDamaged('/data/log.ndjson', 'line 3 is corrupt');
 * ```
 */
export function storeDamaged(path: string, what: string, details: Record<string, unknown> = {}, cause?: unknown) {
  return new AdapterError(
    `The file state store is damaged: ${path}: ${what}. This is not a crash artefact; do not edit the files by hand. Restore the store directory from a backup.`,
    { retryable: false, details: { path, ...details }, cause },
  );
}
