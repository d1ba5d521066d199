import * as z from 'zod';
import { NotFoundError } from '../../errors/errors.js';
import { Actor } from '../../model/actor.js';
import type { HandoverWithdrawn } from '../../model/handover.js';
import { parseInput } from '../../model/parse-input.js';
import { Reason, Slug } from '../../model/primitives.js';
import { assertMayAccept } from '../../policy/handover-duties.js';
import { retryOnConflict } from '../../runtime/conflict.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND } from '../../runtime/records.js';
import { auditRefusals } from '../../runtime/refusals.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { handoverEnvironment } from './accept.js';
import { handoverNotice } from './notice.js';
import { handoverId, readHandover } from './read-handover.js';

/** Input of `handovers.withdraw`. @hidden */
export const WithdrawHandoverInput = z.object({ environment: Slug, project: Slug, by: Actor, reason: Reason }).strict();
/** Input of `handovers.withdraw`: who takes the acceptance back, and why. */
export type WithdrawHandoverInput = z.input<typeof WithdrawHandoverInput>;

/**
 * Withdraws a project's accepted handover: its next promotion into the environment is blocked
 * until the owners accept again; what is active keeps running. Journaled as `handover.withdrawn`.
 * @internal
 */
export async function withdrawHandover(
  context: EngineContext,
  input: WithdrawHandoverInput,
): Promise<HandoverWithdrawn> {
  const command = parseInput(WithdrawHandoverInput, input, 'handovers.withdraw');
  const environment = await handoverEnvironment(context, command.environment);
  const role = environment.definition.policy.handover?.role ?? '';
  const id = handoverId(command.environment, command.project);
  await auditRefusals(
    context,
    command.by,
    { action: 'withdraw handover', subject: { kind: KIND.handover, id }, environment: command.environment },
    () =>
      assertMayAccept({
        role,
        actor: command.by,
        action: `withdraw the handover of ${command.project} from ${command.environment}`,
        bundles: [],
        requesters: [],
      }),
  );
  return retryOnConflict(async () => {
    const current = await readHandover(context, command.environment, command.project);
    if (current?.value.status !== 'accepted') {
      throw new NotFoundError(
        'accepted handover',
        id,
        `${command.project} has no accepted handover in ${command.environment} to withdraw.`,
      );
    }
    const at = nowIso(context);
    const { status: _status, ...accepted } = current.value;
    const record: HandoverWithdrawn = {
      ...accepted,
      status: 'withdrawn',
      withdrawn: { by: command.by, at, reason: command.reason },
    };
    await new UnitOfWork(context)
      .put(KIND.handover, id, current.version, record)
      .journal({
        at,
        actor: command.by,
        type: 'handover.withdrawn',
        subject: { kind: KIND.handover, id },
        environment: command.environment,
        reason: command.reason,
        data: { project: command.project, cardDigest: record.cardDigest, acceptedBy: record.by.id, role },
      })
      .emit(
        'handover.withdrawn',
        handoverNotice({
          definition: environment.definition,
          project: command.project,
          card: record.card,
          cardDigest: record.cardDigest,
          by: command.by.id,
          reason: command.reason,
        }),
      )
      .commit();
    return record;
  });
}
