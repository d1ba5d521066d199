import type { JournalProblem } from '@railyard/core';
import { CheckFailedError } from '@railyard/core/errors';

/** A damaged journal: exit code 5 (integrity failure), naming the first bad entry. */
export function journalDamaged(problem: JournalProblem, where: string): CheckFailedError {
  return new CheckFailedError(
    `The journal of ${where} is damaged at entry ${problem.seq} (${problem.kind}): ${problem.message}. Nothing was changed; restore the store from a backup and compare the journal with an exported checkpoint.`,
    { retryable: false, details: { integrity: true, problem } },
  );
}
