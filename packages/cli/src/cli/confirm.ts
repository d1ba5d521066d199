import { AbortedError } from '@railyard/core/errors';
import { usageError } from '../output/usage-error.js';
import type { Session } from './session.js';

/**
 * Asks a person to confirm `question` after showing what the command acts on. `--yes` skips it;
 * with no TTY (and no `--yes`) it refuses with exit 2; a "no" ends the command with nothing changed.
 */
export async function confirmAction(session: Session, question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  const { deps } = session;
  if (!deps.stdin.isTTY || !deps.stdout.isTTY || session.out.json)
    throw usageError(`${question} needs confirmation: run it on a terminal, or pass --yes.`);
  if (!(await deps.ask(question)))
    throw new AbortedError('Declined at the prompt; nothing was changed.', { details: { declined: true } });
}
