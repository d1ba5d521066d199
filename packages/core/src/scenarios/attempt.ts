import type { ScenarioStepResult, StepContext, StepLogger } from '../contracts/steps.js';
import { isRailyardError } from '../errors/errors.js';
import type { Snapshot } from '../model/environment-types.js';
import type { ScenarioStep } from '../model/scenario.js';
import type { LogEntry, ScenarioRunIn, StepError } from '../model/scenario-run.js';
import { validateHostSchema } from '../model/standard-schema.js';
import { readDeployment, readEnvironment } from '../runtime/records.js';
import { resolveSnapshot } from '../runtime/secrets.js';
import { BUILTIN_STEPS, type ResolvedStep } from './builtins.js';
import type { ScenarioRuntime } from './runtime.js';

/** The most log lines kept per step, the longest line, and the largest output (bytes of JSON). */
const MAX_LOGS = 100;
const MAX_LINE = 2000;
const MAX_OUTPUT = 64 * 1024;

/** How one attempt ended (a timeout, an abort or the engine stopping is seen by the executor, not here). @internal */
export type AttemptOutcome = { logs: LogEntry[] } & (
  | { ok: true; output?: unknown; variables?: Record<string, unknown>; warning?: string }
  | { ok: false; error: StepError }
);

/** What an attempt needs. @internal */
export interface AttemptInput {
  run: ScenarioRunIn<'running'>;
  index: number;
  step: ScenarioStep;
  resolved: Extract<ResolvedStep, { kind: 'function' }>;
  attempt: number;
  /** Aborted at the attempt's timeout, on `abort(runId)`, or when the engine stops (from the host-work runner). */
  signal: AbortSignal;
  /** Log lines the step already has. */
  logged: number;
}

/**
 * Runs one attempt of a host (or built-in function) step: params validated by the step type's
 * schema, a context with the run's variables and earlier outputs, a logger, and the signal the
 * host-work runner aborts at the attempt's deadline, on `abort(runId)`, or when the engine stops.
 * It runs as host work (`runtime/host-work.ts`), never inside a reconcile pass.
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
  const parsed = await validateHostSchema(input.resolved.type.params, input.step.params);
  if (!parsed.ok) {
    const message = `invalid params for step type "${input.step.type}" (${parsed.path || '(root)'}: ${parsed.message}); fix the scenario definition`;
    return { ok: false, error: { message, code: 'VALIDATION', retryable: false }, logs };
  }
  const context = await stepContext(rt, input, parsed.value, logger);
  if ('message' in context) return { ok: false, error: context, logs };
  try {
    const run = input.resolved.type.run as (ctx: StepContext) => ScenarioStepResult | Promise<unknown>;
    const result = await run({ ...context, signal: input.signal });
    return { ...(checkResult(result) as object), logs } as AttemptOutcome;
  } catch (error) {
    return { ok: false, logs, error: toStepError(error) };
  }
}

/** The context a step receives (without its signal), or why it cannot run. */
async function stepContext(
  rt: ScenarioRuntime,
  input: AttemptInput,
  params: unknown,
  logger: StepLogger,
): Promise<Omit<StepContext, 'signal'> | StepError> {
  const { run } = input;
  const outputs: Record<string, unknown> = {};
  for (const step of run.steps)
    if (step.status === 'succeeded' && step.output !== undefined) outputs[step.key] = step.output;
  const found = await deploymentOf(rt, run);
  if ('message' in found) return found;
  // Built-in steps never read settings: they do not ask the resolver for secrets (nor get a snapshot).
  const builtin = (Object.values(BUILTIN_STEPS) as string[]).includes(input.step.type);
  const target = builtin
    ? found.deployment
      ? { deployment: found.deployment }
      : {}
    : await withSecrets(rt, found, input.signal);
  if ('message' in target) return target;
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
    ...target,
  };
}

type Target = { deployment?: NonNullable<StepContext['deployment']>; snapshot?: Snapshot };

/** The target with its snapshot's secret references resolved, or why they cannot be. */
async function withSecrets(
  rt: ScenarioRuntime,
  target: Target,
  signal: AbortSignal,
): Promise<Pick<StepContext, 'deployment' | 'snapshot'> | StepError> {
  const { deployment, snapshot } = target;
  if (!deployment || !snapshot) return {};
  try {
    const at = { environment: deployment.environment, deploymentId: deployment.id, purpose: 'step', signal } as const;
    return { deployment, snapshot: await resolveSnapshot(rt.context, snapshot, at) };
  } catch (error) {
    return toStepError(error);
  }
}

/**
 * The deployment a step acts on: for a verification run, the deployment being verified (not the
 * environment's active one); otherwise the active deployment of the run's environment, if any.
 */
async function deploymentOf(rt: ScenarioRuntime, run: ScenarioRunIn<'running'>): Promise<Target | StepError> {
  if (run.trigger.kind === 'verification' && run.deploymentId !== undefined) {
    const d = (await readDeployment(rt.context, run.deploymentId))?.value;
    if (!d || !('snapshot' in d))
      return {
        message: `deployment ${run.deploymentId} that this verification run verifies has no snapshot; the store was changed outside Railyard`,
        code: 'NOT_FOUND',
        retryable: false,
      };
    return {
      deployment: { id: d.id, environment: d.environment, bundleId: d.bundleId, version: d.version },
      snapshot: d.snapshot,
    };
  }
  const active = run.environment ? (await readEnvironment(rt.context, run.environment))?.value.active : undefined;
  if (!active) return {};
  return {
    deployment: {
      id: active.deploymentId,
      environment: run.environment as string,
      bundleId: active.snapshot.bundleId,
      version: active.snapshot.version,
    },
    snapshot: active.snapshot,
  };
}

/** Checks what a step returned: JSON output within size, variables an object. */
function checkResult(result: unknown): { ok: true } | { ok: false; error: StepError } {
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

function invalid(message: string): { ok: false; error: StepError } {
  return { ok: false, error: { message, code: 'VALIDATION', retryable: false } };
}

/** A thrown value as a step error: Railyard errors keep their code and retryability; others are retryable. @internal */
export function toStepError(error: unknown): StepError {
  if (isRailyardError(error)) return { message: error.message, code: error.code, retryable: error.retryable };
  return { message: messageOf(error), retryable: true };
}

/** A thrown value's message. @internal */
export function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
