import { stat } from 'node:fs/promises';
import type { JournalVerification } from '@railyard/core';
import { verifyFileStore } from '@railyard/core/adapters';
import { NotFoundError } from '@railyard/core/errors';

/**
 * Verifies a file state store directory without opening it for writing (core's `verifyFileStore`:
 * it reads the files, takes no lock and changes nothing), as the journal verification
 * `railyard journal verify` prints: the entry count and head, or the first bad entry.
 */
export async function verifyOfflineStore(dir: string): Promise<JournalVerification> {
  const found = await stat(dir).catch(() => null);
  if (!found?.isDirectory()) {
    throw new NotFoundError(
      'state store directory',
      dir,
      'Pass the state directory of a file store, e.g. .railyard/state.',
    );
  }
  const verification = await verifyFileStore(dir);
  const { entries, head } = verification.journal;
  if (verification.ok && head) return { ok: true, entries, head };
  const problem = verification.problem;
  const where = problem ? `${problem.file}${problem.line === undefined ? '' : ` line ${problem.line}`}: ` : '';
  return {
    ok: false,
    entries,
    problem: {
      seq: problem?.seq ?? entries + 1,
      kind: 'malformed',
      message: `${where}${problem?.message ?? 'the store does not load'}`,
    },
  };
}
