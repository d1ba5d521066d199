import { isRailyardError } from '../contracts/errors.js';

/**
 * Runs a read-check-commit attempt again when another writer got there first. Each attempt
 * re-reads and re-checks, so a retried command sees the newest state.
 * @internal
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= attempts || !isRailyardError(error, 'VERSION_CONFLICT')) throw error;
    }
  }
}
