import type { AcceptHandoverInput } from '../deployments/handovers/accept.js';
import type { HandoverHistoryEntry, HandoverRef } from '../deployments/handovers/queries.js';
import type { WithdrawHandoverInput } from '../deployments/handovers/withdraw.js';
import type { Handover, HandoverAccepted, HandoverWithdrawn } from '../model/handover.js';

/**
 * `railyard.handovers`: an environment's owners accept a project's card before it runs there
 * (the policy's `handover` gate, docs/handover.md), withdraw that acceptance, and look back at who
 * accepted what.
 *
 * @example
 * ```ts
 * const plan = await railyard.deployments.plan({ deployment: deployment.id });
 * const gate = plan.gates.find((g) => g.gate === 'handover');
 * await railyard.handovers.accept({
 *   environment: 'production', project: 'churn-model', cardDigest: String(gate?.details?.cardDigest),
 *   by: itOps, comment: 'walked through the risks with analytics on Monday',
 * });
 * ```
 */
export interface HandoversApi {
  /**
   * Accepts a project's card (bound to its digest) on behalf of the environment's owners: the actor
   * needs the policy's handover role and may not be an author of a bundle carrying the card nor
   * the requester of a promotion waiting for it. Journaled as `handover.accepted`, with the card.
   *
   * @example
   * ```ts
   * await railyard.handovers.accept({ environment: 'production', project: 'churn-model', cardDigest, by: itOps, comment: 'ok' });
   * ```
   */
  accept(input: AcceptHandoverInput): Promise<HandoverAccepted>;
  /**
   * Withdraws an accepted handover: the project's next promotion is blocked until accepted again;
   * what is active keeps running. Journaled as `handover.withdrawn`; emits `handover.withdrawn`.
   *
   * @example
   * ```ts
   * await railyard.handovers.withdraw({ environment: 'production', project: 'churn-model', by: itOps, reason: 'owners left' });
   * ```
   */
  withdraw(input: WithdrawHandoverInput): Promise<HandoverWithdrawn>;
  /**
   * A project's handover in an environment, or `null` if none was ever accepted.
   *
   * @example
   * ```ts
   * const handover = await railyard.handovers.get({ environment: 'production', project: 'churn-model' });
   * ```
   */
  get(ref: HandoverRef): Promise<Handover | null>;
  /**
   * Every handover on record, optionally in one environment.
   *
   * @example
   * ```ts
   * for (const h of await railyard.handovers.list({ environment: 'production' })) console.log(h.project, h.status);
   * ```
   */
  list(filter?: { environment?: string }): Promise<Handover[]>;
  /**
   * Who accepted (and withdrew) responsibility for a project in an environment, oldest first, and
   * the card each was shown; read from the journal.
   *
   * @example
   * ```ts
   * const [first] = await railyard.handovers.history({ environment: 'production', project: 'churn-model' });
   * console.log(first?.by.id, first?.at, first?.card?.risks);
   * ```
   */
  history(ref: HandoverRef): Promise<HandoverHistoryEntry[]>;
}
