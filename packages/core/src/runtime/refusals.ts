import { PolicyError } from '../errors/errors.js';
import { type Actor, normalizeActorId } from '../model/actor.js';
import type { EngineContext } from './context.js';
import { UnitOfWork } from './unit-of-work.js';

/** How long one refusal entry stands for the same actor, rule and target (by the engine's clock). */
export const REFUSAL_WINDOW_MS = 60_000;
/** How many (actor, rule, target) windows one engine remembers; the oldest is forgotten first. */
const MAX_TRACKED = 10_000;

/** What a refused decision was about. @internal */
export interface RefusalTarget {
  /** The action refused, e.g. `approve`, `rollback`, `resume`. */
  action: string;
  /** The record it concerned. */
  subject: { kind: string; id: string };
  environment?: string;
  deploymentId?: string;
}

/**
 * Records a refused decision in the journal as `decision.refused` (actor, rule, target, reason),
 * at most one entry per actor, rule and target per {@link REFUSAL_WINDOW_MS}; the next entry carries
 * `data.suppressed`, the refusals swallowed in between. A flood of refusals cannot grow the journal
 * faster than that. Failing to record never hides the refusal itself.
 * @internal
 */
export async function recordRefusal(
  context: EngineContext,
  error: PolicyError,
  actor: Actor,
  target: RefusalTarget,
): Promise<void> {
  const windows = context.refusals;
  const key = [
    normalizeActorId(actor.id),
    actor.via ? normalizeActorId(actor.via) : '',
    error.rule,
    target.action,
    target.subject.id,
  ].join('\u0000');
  const now = context.clock.now().getTime();
  const last = windows.get(key);
  if (last && now - last.at < REFUSAL_WINDOW_MS) {
    last.suppressed++;
    return;
  }
  windows.delete(key);
  windows.set(key, { at: now, suppressed: 0 });
  if (windows.size > MAX_TRACKED) windows.delete(windows.keys().next().value as string);
  const { rule: _rule, ...details } = error.details ?? {};
  await new UnitOfWork(context)
    .journal({
      at: new Date(now).toISOString(),
      actor,
      type: 'decision.refused',
      subject: target.subject,
      ...(target.environment ? { environment: target.environment } : {}),
      ...(target.deploymentId ? { deploymentId: target.deploymentId } : {}),
      reason: error.message,
      data: { rule: error.rule, action: target.action, details, suppressed: last?.suppressed ?? 0 },
    })
    .commit()
    .catch((cause: unknown) => context.events.emit('error', cause));
}

/**
 * Runs a decision's checks; a `PolicyError` they throw is recorded (see {@link recordRefusal}) and
 * thrown on. Nothing else is written.
 * @internal
 */
export async function auditRefusals<T>(
  context: EngineContext,
  actor: Actor,
  target: RefusalTarget,
  check: () => T | Promise<T>,
): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof PolicyError) await recordRefusal(context, error, actor, target);
    throw error;
  }
}
