import type { ScenarioStepContext, ScenarioStepResult, StepLogger } from '../contracts/scenario-steps.js';
import { AbortedError, isRailyardError, TimeoutError } from '../errors/errors.js';
import type { ScenarioStep } from '../model/scenario.js';
import type { LogEntry, ScenarioRunIn, StepError } from '../model/scenario-run.js';
import { readEnvironment } from '../runtime/records.js';
import type { ResolvedStep } from './builtins.js';
import type { ScenarioRuntime } from './runtime.js';

/** The most log lines kept per step, the longest line, and the largest output (bytes of JSON). */
const MAX_LOGS = 100;
const MAX_LINE = 2000;
const MAX_OUTPUT = 64 * 1024;
const ATTEMPT_DONE = new AbortedError('the attempt ended');

/** How one attempt ended. `run-timeout`: the run's deadline cut it; `stopped`: the engine is stopping. @internal */
export type AttemptOutcome = { logs: LogEntry[] } & (
  | { ok: true; output?: unknown; variables?: Record<string, unknown>; warning?: string }
  | { ok: false; error: StepError; why: 'error' | 'timeout' | 'run-timeout' | 'aborted' | 'stopped' }
);

/** What an attempt needs. @internal */
export interface AttemptInput {
  run: ScenarioRunIn<'running'>;
  index: number;
  step: ScenarioStep;
  resolved: Extract<ResolvedStep, { kind: 'function' | 'verification' }>;
  attempt: number;
  /** Aborted by `abort(runId)` or when the engine stops. */
  runSignal: AbortSignal;
  stopSignal: AbortSignal;
  /** Log lines the step already has. */
  logged: number;
}

/**
 * Runs one attempt of a host (or built-in function) step: params validated by the step type's
 * schema, a context with the run's variables and earlier outputs, a logger, and a signal aborted
 * at the attempt's timeout (the step's, or what is left of the run's), on `abort(runId)`, or when
 * the engine stops. A step that ignores its signal is no longer waited for once it is aborted.
 * @internal
 */
export async function runAttempt(rt: ScenarioRuntime, input: AttemptInput): Promise<AttemptOutcome> {
  const { clock } = rt.context;
  const logs: LogEntry[] = [];
  const line = (level: LogEntry['level']) => (message: string) => {
    if (input.logged + logs.length >= MAX_LOGS) return;
    logs.push({ at: clock.now().toISOString(), level, message: String(message).slice(0, MAX_LINE) });
  };
  const logger: StepLogger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const parsed = input.resolved.type.params.safeParse(input.step.params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message = `invalid params for step type "${input.step.type}" (${issue?.path.join('.') || '(root)'}: ${issue?.message}); fix the scenario definition`;
    return { ok: false, why: 'error', error: { message, code: 'VALIDATION', retryable: false }, logs };
  }
  const context = await stepContext(rt, input, parsed.data, logger);
  if ('message' in context) return { ok: false, why: 'error', error: context, logs };

  const controller = new AbortController();
  const onRunAbort = () => controller.abort(input.runSignal.reason);
  if (input.runSignal.aborted) onRunAbort();
  else input.runSignal.addEventListener('abort', onRunAbort, { once: true });
  const deadline = Date.parse(input.run.deadlineAt) - clock.now().getTime();
  const limit = Math.max(1, Math.min(input.step.timeoutMs, deadline));
  let timedOut: 'timeout' | 'run-timeout' | undefined;
  const timer = new AbortController();
  clock.sleep(limit, timer.signal).then(
    () => {
      timedOut = limit < input.step.timeoutMs ? 'run-timeout' : 'timeout';
      controller.abort(new TimeoutError(`step did not finish within ${limit} ms`));
    },
    () => undefined,
  );
  const aborted = new Promise<never>((_, reject) => {
    const stop = () => reject(controller.signal.reason);
    if (controller.signal.aborted) stop();
    else controller.signal.addEventListener('abort', stop, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const run = input.resolved.type.run as (ctx: ScenarioStepContext) => ScenarioStepResult | Promise<unknown>;
    const result = await Promise.race([
      Promise.resolve().then(() => run({ ...context, signal: controller.signal })),
      aborted,
    ]);
    return { ...(checkResult(result) as object), logs } as AttemptOutcome;
  } catch (error) {
    if (timedOut)
      return {
        ok: false,
        why: timedOut,
        logs,
        error: { message: messageOf(controller.signal.reason), code: 'TIMEOUT', retryable: timedOut === 'timeout' },
      };
    if (input.stopSignal.aborted)
      return {
        ok: false,
        why: 'stopped',
        logs,
        error: { message: 'the engine stopped during the attempt', retryable: true },
      };
    if (input.runSignal.aborted)
      return {
        ok: false,
        why: 'aborted',
        logs,
        error: { message: `aborted: ${messageOf(input.runSignal.reason)}`, retryable: false },
      };
    return { ok: false, why: 'error', logs, error: toStepError(error) };
  } finally {
    // A reason of our own: aborting without one builds a DOMException (with a stack) per attempt.
    timer.abort(ATTEMPT_DONE);
    input.runSignal.removeEventListener('abort', onRunAbort);
  }
}

/** The context a step receives (without its signal), or why it cannot run. */
async function stepContext(
  rt: ScenarioRuntime,
  input: AttemptInput,
  params: unknown,
  logger: StepLogger,
): Promise<Omit<ScenarioStepContext, 'signal'> | StepError> {
  const { run } = input;
  const outputs: Record<string, unknown> = {};
  for (const step of run.steps)
    if (step.status === 'succeeded' && step.output !== undefined) outputs[step.key] = step.output;
  const env = run.environment ? (await readEnvironment(rt.context, run.environment))?.value : undefined;
  const active = env?.active;
  if (input.resolved.kind === 'verification' && !active) {
    return {
      message: `step type "${input.step.type}" is a verification step (registerStep) and needs a deployment: run the scenario in an environment that runs one, or register the step with scenarios.registerStep`,
      code: 'VALIDATION',
      retryable: false,
    };
  }
  return {
    params,
    run: {
      id: run.id,
      scenario: run.scenario,
      params: run.params,
      trigger: run.trigger,
      ...(run.environment === undefined ? {} : { environment: run.environment }),
      ...(run.deploymentId === undefined ? {} : { deploymentId: run.deploymentId }),
    },
    variables: run.variables,
    outputs,
    idempotencyKey: `${run.id}:${input.index}`,
    attempt: input.attempt,
    logger,
    clock: rt.context.clock,
    ...(active
      ? {
          deployment: {
            id: active.deploymentId,
            environment: run.environment as string,
            bundleId: active.snapshot.bundleId,
            version: active.snapshot.version,
          },
          snapshot: active.snapshot,
        }
      : {}),
  };
}

/** Checks what a step returned: JSON output within size, variables an object. */
function checkResult(result: unknown): { ok: true } | { ok: false; why: 'error'; error: StepError } {
  if (result === undefined || result === null) return { ok: true };
  if (typeof result !== 'object' || Array.isArray(result))
    return invalid('a step returns nothing or { output?, variables?, warning? }');
  const { output, variables, warning } = result as { output?: unknown; variables?: unknown; warning?: unknown };
  let copy: unknown;
  if (output !== undefined) {
    const json = JSON.stringify(output);
    if (json === undefined) return invalid('the step output is not JSON');
    if (json.length > MAX_OUTPUT)
      return invalid(
        `the step output is ${json.length} bytes of JSON (at most ${MAX_OUTPUT}); return a reference instead`,
      );
    copy = JSON.parse(json);
  }
  if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables)))
    return invalid('a step’s variables must be an object');
  return {
    ok: true,
    ...(copy === undefined ? {} : { output: copy }),
    ...(variables === undefined ? {} : { variables: JSON.parse(JSON.stringify(variables)) }),
    ...(warning === undefined ? {} : { warning: String(warning).slice(0, MAX_LINE) }),
  } as { ok: true };
}

function invalid(message: string): { ok: false; why: 'error'; error: StepError } {
  return { ok: false, why: 'error', error: { message, code: 'VALIDATION', retryable: false } };
}

/** A thrown value as a step error: Railyard errors keep their code and retryability; others are retryable. @internal */
export function toStepError(error: unknown): StepError {
  if (isRailyardError(error)) return { message: error.message, code: error.code, retryable: error.retryable };
  return { message: messageOf(error), retryable: true };
}

function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
