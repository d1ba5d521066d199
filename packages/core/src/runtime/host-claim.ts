import type { HostClaim } from '../model/host-claim.js';
import type { EngineContext } from './context.js';
import type { HostOutcome } from './host-work.js';

/**
 * What a pass should do about host code claimed on a record: claim it (none yet, or the claim
 * lapsed), wait for another engine, record its timeout, wait for it here, or commit its outcome.
 * @internal
 */
export type ClaimView<T> =
  | { kind: 'claim' }
  | { kind: 'held'; until: number }
  | { kind: 'timed-out' }
  | { kind: 'running'; renewAt: number; deadline: number }
  | { kind: 'done'; outcome: HostOutcome<T> };

/** A new claim by this engine, until `deadlineAt`, its lease no longer than `leaseMs`. @internal */
export function newClaim(context: EngineContext, deadlineAt: string): HostClaim {
  const now = context.clock.now();
  return { owner: context.engineId, startedAt: now.toISOString(), ...leaseFor(context, deadlineAt), deadlineAt };
}

/** The claim with its lease renewed from now. @internal */
export function renewClaim(context: EngineContext, claim: HostClaim): HostClaim {
  return { ...claim, ...leaseFor(context, claim.deadlineAt) };
}

function leaseFor(context: EngineContext, deadlineAt: string): { leaseUntil: string } {
  const until = Math.min(Date.parse(deadlineAt), context.clock.now().getTime() + context.leaseMs);
  return { leaseUntil: new Date(until).toISOString() };
}

/** The key the host-work runner knows a claimed piece of work by. @internal */
export function claimKey(subject: string, claim: HostClaim): string {
  return `${subject}@${claim.owner}@${claim.startedAt}`;
}

/**
 * Reads a claim against this engine's runner. An outcome that ended here counts even when read
 * after the deadline (it ended before the timeout was recorded); work cut short by this engine
 * stopping is claimed again.
 * @internal
 */
export function viewClaim<T>(context: EngineContext, subject: string, claim: HostClaim | undefined): ClaimView<T> {
  if (!claim) return { kind: 'claim' };
  const now = context.clock.now().getTime();
  const deadline = Date.parse(claim.deadlineAt);
  const key = claimKey(subject, claim);
  const here = claim.owner === context.engineId ? context.host.peek<T>(key) : undefined;
  if (here?.state === 'done' && !here.outcome.stopped) return { kind: 'done', outcome: here.outcome };
  if (now >= deadline) return { kind: 'timed-out' };
  if (here?.state === 'running') {
    // A lease that ends before the deadline is renewed half-way, so that it lapses only if this engine is gone.
    const leaseUntil = Date.parse(claim.leaseUntil);
    const renewAt = leaseUntil < deadline ? leaseUntil - context.leaseMs / 2 : Number.POSITIVE_INFINITY;
    return { kind: 'running', renewAt, deadline };
  }
  if (here?.state === 'done') context.host.forget(key);
  const leaseUntil = Date.parse(claim.leaseUntil);
  if (claim.owner !== context.engineId && leaseUntil > now) return { kind: 'held', until: leaseUntil };
  return { kind: 'claim' };
}
