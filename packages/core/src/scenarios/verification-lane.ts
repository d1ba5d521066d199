import { isRailyardError } from '../errors/errors.js';
import { VerificationLane } from '../model/scenario-run.js';
import type { EngineContext } from '../runtime/context.js';
import { KIND, readAs } from '../runtime/records.js';
import { UnitOfWork } from '../runtime/unit-of-work.js';

/** An environment's verification lane, or `null` before its first verification run. @internal */
export const readVerificationLane = (context: EngineContext, environment: string) =>
  readAs(context, KIND.verificationLane, environment, VerificationLane);

/**
 * Reads an environment's verification lane, lets `change` edit a copy and add writes to a unit of
 * work, and commits both (the lane by compare-and-swap), starting again from a fresh read on a
 * version conflict, a few times. Answers `change`'s answer, or `undefined` when it changed nothing.
 * @internal
 */
export async function withVerificationLane<T>(
  context: EngineContext,
  environment: string,
  change: (lane: VerificationLane, work: UnitOfWork) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    const read = await readVerificationLane(context, environment);
    if (!read) return undefined;
    const lane = structuredClone(read.value);
    const work = new UnitOfWork(context);
    const result = await change(lane, work);
    if (result === undefined) return undefined;
    work.put(KIND.verificationLane, environment, read.version, lane);
    try {
      await work.commit();
      return result;
    } catch (error) {
      if (!isRailyardError(error, 'VERSION_CONFLICT') || attempt >= 5) throw error;
    }
  }
}
