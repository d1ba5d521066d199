import pRetry from 'p-retry';
import type { StepType } from '../contracts/host.js';
import { RailyardError } from '../errors/errors.js';
import type { Deployment } from '../model/deployment.js';
import type { Snapshot } from '../model/environment.js';
import type { ScenarioDefinition, StepDefinition } from '../model/verification.js';
import type { EngineContext } from '../runtime/context.js';

/** How a scenario run ended. @internal */
export type ScenarioOutcome = { ok: true } | { ok: false; error: string };

class StepTimeoutError extends RailyardError {
  constructor(step: string, ms: number) {
    super('TIMEOUT', `step "${step}" did not finish within ${ms} ms`, { retryable: true });
  }
}

/**
 * Runs a scenario's steps in order. Each step's params are validated by its registered schema;
 * attempts are retried (p-retry, waiting on the injected clock) unless the error says it is not
 * retryable; each attempt is aborted at its timeout. The idempotency key is the same for every
 * attempt and every re-run after a crash, so host code can deduplicate its side effects.
 * @internal
 */
export async function runScenario(
  context: EngineContext,
  input: { scenario: ScenarioDefinition; deployment: Deployment; snapshot: Snapshot; signal: AbortSignal },
): Promise<ScenarioOutcome> {
  const { scenario } = input;
  for (const [index, step] of scenario.steps.entries()) {
    const label = step.name ?? `${step.type}#${index + 1}`;
    const type = context.steps.get(step.type);
    if (!type) return { ok: false, error: `step ${label}: step type "${step.type}" is not registered on this site` };
    const params = type.params.safeParse(step.params);
    if (!params.success)
      return { ok: false, error: `step ${label}: invalid params (${params.error.issues[0]?.message})` };
    try {
      await pRetry(
        (attempt) => attemptStep(context, { type, step, label, params: params.data, attempt, ...input, index }),
        {
          retries: step.retries,
          minTimeout: 0,
          maxTimeout: 0,
          randomize: false,
          shouldRetry: async ({ error, retriesLeft, attemptNumber }) => {
            if (error instanceof RailyardError && !error.retryable) return false;
            if (input.signal.aborted || retriesLeft <= 0) return false;
            await context.clock.sleep(step.retryDelayMs * 2 ** (attemptNumber - 1), input.signal);
            return true;
          },
        },
      );
    } catch (error) {
      return { ok: false, error: `step ${label}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { ok: true };
}

async function attemptStep(
  context: EngineContext,
  input: {
    type: StepType;
    step: StepDefinition;
    label: string;
    params: unknown;
    attempt: number;
    index: number;
    scenario: ScenarioDefinition;
    deployment: Deployment;
    snapshot: Snapshot;
    signal: AbortSignal;
  },
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort(input.signal.reason);
  input.signal.addEventListener('abort', stop, { once: true });
  const timer = new AbortController();
  const timeout = context.clock.sleep(input.step.timeoutMs, timer.signal).then(
    () => {
      const error = new StepTimeoutError(input.label, input.step.timeoutMs);
      controller.abort(error);
      throw error;
    },
    () => undefined,
  );
  try {
    const { deployment: d } = input;
    await Promise.race([
      input.type.run({
        params: input.params,
        deployment: { id: d.id, environment: d.environment, bundleId: d.bundleId, version: d.version },
        snapshot: input.snapshot,
        idempotencyKey: `${d.id}:${input.scenario.id}:${input.index}`,
        attempt: input.attempt,
        signal: controller.signal,
        clock: context.clock,
      }),
      timeout,
    ]);
  } finally {
    timer.abort();
    input.signal.removeEventListener('abort', stop);
  }
}
