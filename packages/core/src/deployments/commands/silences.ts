import * as z from 'zod';
import { NotFoundError, ValidationError } from '../../errors/errors.js';
import { Actor } from '../../model/actor.js';
import type { Actor as ActorRecord } from '../../model/environment-types.js';
import { parseInput } from '../../model/parse-input.js';
import { Reason, Slug, Timestamp } from '../../model/primitives.js';
import { assertOperator } from '../../policy/roles.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, listAll, readEnvironment } from '../../runtime/records.js';
import { auditRefusals } from '../../runtime/refusals.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';

/** A silence: a monitor's readings are recorded but nothing acts on them until `until`. @hidden */
export const Silence = z
  .object({ environment: Slug, monitor: Slug, until: Timestamp, by: Actor, reason: Reason, at: Timestamp })
  .strict() satisfies z.ZodType<Silence>;

/**
 * A silence on one monitor of one environment: its readings are recorded but nothing acts on them
 * until `until`.
 *
 * @example
 * ```ts
 * const silence: Silence = await railyard.monitors.silence({ environment: 'production', monitor: 'latency', until, by: operator, reason: 'load test' });
 * ```
 */
export interface Silence {
  /** The environment. */
  environment: string;
  /** The silenced monitor. */
  monitor: string;
  /** When the silence ends (ISO time). */
  until: string;
  /** Who silenced it. */
  by: ActorRecord;
  /** Why. */
  reason: string;
  /** When it was silenced (ISO time). */
  at: string;
}

/** Input of `monitors.silence`. @hidden */
export const SilenceInput = z
  .object({ environment: Slug, monitor: Slug, until: Timestamp, by: Actor, reason: Reason })
  .strict();
/** Input of `monitors.silence`. */
export type SilenceInput = z.input<typeof SilenceInput>;

/**
 * Silences a monitor until an expiry, with a reason; only operators may. Journaled.
 * @internal
 */
export async function silenceMonitor(context: EngineContext, input: SilenceInput): Promise<Silence> {
  const command = parseInput(SilenceInput, input, 'monitors.silence');
  const environment = await readEnvironment(context, command.environment);
  if (!environment) throw new NotFoundError('environment', command.environment);
  if (!environment.value.definition.verification.monitors.some((m) => m.id === command.monitor)) {
    throw new NotFoundError(
      'monitor',
      `${command.environment}/${command.monitor}`,
      'Name a monitor of the environment’s verification.',
    );
  }
  const target = {
    action: 'silence',
    subject: { kind: KIND.environment, id: command.environment },
    environment: command.environment,
  };
  await auditRefusals(context, command.by, target, () =>
    assertOperator(environment.value.definition.policy, command.by, `silence monitors of ${command.environment}`),
  );
  const at = nowIso(context);
  if (command.until <= at)
    throw new ValidationError(`monitors.silence: "until" (${command.until}) must be in the future.`);
  const silence: Silence = { ...command, at };
  const key = `${command.environment}/${command.monitor}`;
  const existing = await context.store.get(KIND.silence, key);
  await new UnitOfWork(context)
    .put(KIND.silence, key, existing?.version ?? null, silence)
    .journal({
      at,
      actor: command.by,
      type: 'monitor.silenced',
      subject: { kind: 'monitor', id: key },
      environment: command.environment,
      reason: command.reason,
      data: { until: command.until },
    })
    .commit();
  return silence;
}

/** Input of `monitors.unsilence`. @hidden */
export const UnsilenceInput = z
  .object({ environment: Slug, monitor: Slug, by: Actor, reason: Reason.optional() })
  .strict();
/** Input of `monitors.unsilence`. */
export type UnsilenceInput = z.input<typeof UnsilenceInput>;

/**
 * Ends a monitor's silence now, before its `until`; only operators may. Journaled
 * (`monitor.unsilenced`). A monitor with no silence in force is `NOT_FOUND`, and nothing changes.
 * Returns the silence that ended.
 * @internal
 */
export async function unsilenceMonitor(context: EngineContext, input: UnsilenceInput): Promise<Silence> {
  const command = parseInput(UnsilenceInput, input, 'monitors.unsilence');
  const environment = await readEnvironment(context, command.environment);
  if (!environment) throw new NotFoundError('environment', command.environment);
  assertOperator(environment.value.definition.policy, command.by, `unsilence monitors of ${command.environment}`);
  const key = `${command.environment}/${command.monitor}`;
  const at = nowIso(context);
  const existing = await context.store.get(KIND.silence, key);
  const silence = existing ? Silence.parse(existing.value) : null;
  if (!existing || !silence || silence.until <= at)
    throw new NotFoundError(
      'silence',
      key,
      'The monitor is not silenced now; list the silences in force with monitors.silences.',
    );
  await new UnitOfWork(context)
    .put(KIND.silence, key, existing.version, null)
    .journal({
      at,
      actor: command.by,
      type: 'monitor.unsilenced',
      subject: { kind: 'monitor', id: key },
      environment: command.environment,
      reason: command.reason ?? `silence ended early by ${command.by.id}`,
      data: { until: silence.until },
    })
    .commit();
  return silence;
}

/** The monitors of an environment silenced now. @internal */
export async function activeSilences(context: EngineContext, environment: string): Promise<Map<string, Silence>> {
  const now = nowIso(context);
  const rows = await listAll(context, KIND.silence, Silence, `${environment}/`);
  return new Map(rows.filter((r) => r.value.until > now).map((r) => [r.value.monitor, r.value]));
}
