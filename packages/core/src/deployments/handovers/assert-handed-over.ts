import { PolicyError } from '../../errors/errors.js';
import type { BundleRecord } from '../../model/bundle.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import type { EngineContext } from '../../runtime/context.js';
import { evaluateGates } from '../commands/promotion-gates.js';

/**
 * Refuses (a `PolicyError` whose rule is `handover`) while the handover gate of the gate table is
 * not open: approvals of a deployment wait until the environment's owners accepted its card.
 * @internal
 */
export async function assertHandedOver(
  context: EngineContext,
  environment: EnvironmentRecord,
  bundle: Pick<BundleRecord, 'id' | 'manifest'>,
  self: string,
): Promise<void> {
  if (!environment.definition.policy.handover) return;
  const gates = await evaluateGates(context, { environment, bundle, self });
  const handover = gates.find((gate) => gate.gate === 'handover' && gate.status !== 'pass');
  if (handover) {
    throw new PolicyError(
      'handover',
      `${handover.reason}. Approve once the card is accepted (handovers.accept).`,
      handover.details ?? {},
    );
  }
}
