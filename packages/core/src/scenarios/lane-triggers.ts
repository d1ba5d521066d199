import type { ScenarioPoll } from '../contracts/polls.js';
import { AbortedError, TimeoutError, ValidationError } from '../errors/errors.js';
import type { ScenarioRecord } from '../model/scenario.js';
import type { ScenarioLane } from '../model/scenario-run.js';
import { type ScenarioTrigger, triggerId } from '../model/scenario-trigger.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import type { Read } from '../runtime/read.js';
import type { StepResult } from '../runtime/step-result.js';
import type { UnitOfWork } from '../runtime/unit-of-work.js';
import { enqueue, type Fire, flushPending } from './enqueue.js';
import { type ScenarioRuntime, withLane } from './runtime.js';
import { scheduleDecision } from './schedule.js';
import { readLane } from './store.js';

type ScheduleConfig = Extract<ScenarioTrigger, { kind: 'schedule' }>;
type PollConfig = Extract<ScenarioTrigger, { kind: 'poll' }>;

type PollAnswer = Awaited<ReturnType<ScenarioPoll>>;
interface Polled {
  id: string;
  trigger: PollConfig;
  observed: string | undefined;
  answer: PollAnswer;
}

/**
 * Evaluates a scenario's clock-driven triggers: schedules (with their catch-up policy; the last
 * instant fired or skipped is stored in the lane, so restarts resume from it, and skipped instants
 * are journaled) and polls that are due (host functions, called outside any commit; a poll whose
 * state changed meanwhile, because another engine polled too, fires nothing). Fires become runs,
 * or wait out the grace delay, which this also ends.
 * @internal
 */
export async function fireLaneTriggers(
  rt: ScenarioRuntime,
  scenario: Read<ScenarioRecord>,
  signal: AbortSignal,
): Promise<StepResult> {
  const def = scenario.value.definition;
  const lane = await readLane(rt.context, def.id);
  if (!lane) return { progressed: false };
  const now = rt.context.clock.now();
  let nextAt = lane.value.pending ? Date.parse(lane.value.pending.dueAt) : Number.POSITIVE_INFINITY;
  let due = nextAt <= now.getTime();
  const polled: Polled[] = [];
  for (const [index, trigger] of def.triggers.entries()) {
    const id = triggerId(trigger, index);
    const state = lane.value.triggers[id];
    if (!state) continue;
    if (trigger.kind === 'schedule') {
      const decision = scheduleDecision(trigger, state.lastFiredAt ?? now.toISOString(), now);
      if (decision.lastFiredAt !== state.lastFiredAt) due = true;
      else if (decision.nextAt !== undefined) nextAt = Math.min(nextAt, decision.nextAt);
    } else if (trigger.kind === 'poll') {
      const at = Date.parse(state.lastPolledAt ?? now.toISOString()) + trigger.intervalMs;
      if (at > now.getTime()) nextAt = Math.min(nextAt, at);
      else {
        polled.push({
          id,
          trigger,
          observed: state.lastPolledAt,
          answer: await poll(rt, def.id, id, trigger, state.lastPolledAt, signal),
        });
        nextAt = Math.min(nextAt, now.getTime() + trigger.intervalMs);
        due = true;
      }
    }
  }
  if (!due) return { progressed: false, nextAt };
  const replaced = await withLane(rt, def.id, async (lane, work) => {
    const fires: Fire[] = [];
    for (const [index, trigger] of def.triggers.entries()) {
      if (trigger.kind === 'schedule')
        fires.push(...schedule(rt, work, lane, triggerId(trigger, index), trigger, def.id));
    }
    for (const result of polled) {
      const state = lane.triggers[result.id];
      if (!state || state.lastPolledAt !== result.observed) continue;
      // The next poll is an interval after this one ended (a slow poll does not make polls pile up).
      state.lastPolledAt = rt.context.clock.now().toISOString();
      if (!result.answer) continue;
      const params = typeof result.answer === 'object' ? (result.answer.params ?? {}) : {};
      fires.push({
        fire: {
          kind: 'poll',
          trigger: result.id,
          at: now.toISOString(),
          params: { ...result.trigger.params, ...params },
        },
        depth: 0,
      });
    }
    const out = await enqueue(rt, work, lane, scenario.value, fires);
    const flushed = await flushPending(rt, work, lane, scenario.value);
    if (lane.pending) nextAt = Math.min(nextAt, Date.parse(lane.pending.dueAt));
    return [...out, ...flushed.replaced];
  });
  for (const id of replaced ?? []) rt.executing.get(id)?.abort(new AbortedError('replaced by a newer run'));
  return { progressed: replaced !== undefined, nextAt };
}

/** Moves a schedule trigger's state to now; journals skipped instants; answers the fires owed. */
function schedule(
  rt: ScenarioRuntime,
  work: UnitOfWork,
  lane: ScenarioLane,
  id: string,
  trigger: ScheduleConfig,
  scenario: string,
): Fire[] {
  const state = lane.triggers[id];
  if (!state) return [];
  const now = rt.context.clock.now();
  const at = now.toISOString();
  const decision = scheduleDecision(trigger, state.lastFiredAt ?? at, now);
  state.lastFiredAt = decision.lastFiredAt;
  if (decision.skipped.count > 0) {
    const { count, first, last, more } = decision.skipped;
    work.journal({
      at,
      actor: SYSTEM_ACTOR,
      type: 'scenario.skipped',
      subject: { kind: 'scenario', id: scenario },
      reason: `${count}${more ? '+' : ''} scheduled run(s) missed while no engine ran (catch-up "${trigger.catchUp}")`,
      data: {
        scenario,
        reason: 'missed',
        trigger: id,
        count,
        catchUp: trigger.catchUp,
        first,
        last,
        more: more ?? false,
      },
    });
  }
  return decision.fires.map((f) => ({
    fire: {
      kind: 'schedule',
      trigger: id,
      at,
      scheduledFor: f.scheduledFor,
      ...(f.catchUp ? { catchUp: true } : {}),
      params: { ...trigger.params },
    },
    depth: 0,
  }));
}

/** Calls a poll function, aborting it (and answering no) when it takes longer than its interval. */
async function poll(
  rt: ScenarioRuntime,
  scenario: string,
  id: string,
  trigger: PollConfig,
  since: string | undefined,
  signal: AbortSignal,
): Promise<PollAnswer> {
  const fn = rt.polls.get(trigger.poll);
  const controller = new AbortController();
  const onStop = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onStop, { once: true });
  const timer = new AbortController();
  const timeout = rt.context.clock.sleep(trigger.intervalMs, timer.signal).then(
    () => {
      const error = new TimeoutError(
        `poll "${trigger.poll}" of scenario ${scenario} took longer than its interval (${trigger.intervalMs} ms)`,
      );
      controller.abort(error);
      throw error;
    },
    () => undefined,
  );
  try {
    if (!fn)
      throw new ValidationError(
        `poll "${trigger.poll}" of scenario ${scenario} is not registered: register it with scenarios.registerPoll`,
      );
    const answer = fn({
      scenario,
      trigger: id,
      params: trigger.params,
      ...(since ? { since } : {}),
      signal: controller.signal,
      clock: rt.context.clock,
    });
    return await Promise.race([answer, timeout as Promise<never>]);
  } catch (error) {
    rt.context.events.emit('error', error);
    return false;
  } finally {
    timer.abort(POLL_DONE);
    signal.removeEventListener('abort', onStop);
  }
}

const POLL_DONE = new AbortedError('the poll ended');
