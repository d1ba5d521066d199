import { isRailyardError } from '../errors/errors.js';

/**
 * Runs a read-check-commit attempt again when another writer got there first. Each attempt
 * re-reads and re-checks, so a retried command sees the newest state.
 * @internal
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 64): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= attempts || !isRailyardError(error, 'VERSION_CONFLICT')) throw error;
      // Someone else committed; let them finish before re-reading, with a little jitter so racers spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(i, 10)));
    }
  }
}
