import { AbortedError } from '../errors/errors.js';
import { scenarioRunMachine } from '../machines/scenario-run-machine.js';
import type { ScenarioStep } from '../model/scenario.js';
import type { StepError, StepReportIn } from '../model/scenario-run.js';
import { SYSTEM_ACTOR } from '../runtime/context.js';
import { KIND } from '../runtime/records.js';
import type { StepResult } from '../runtime/step-result.js';
import { type Admission, admit } from './admission.js';
import { toStepError } from './attempt.js';
import { RunScenarioParams } from './builtins.js';
import type { Execution } from './execution.js';
import { withLane } from './runtime.js';
import { failAttempt, succeed } from './step-actions.js';
import { readRun } from './store.js';

/** How deep `after` triggers and `run-scenario` steps may chain runs before they are refused. @internal */
export const MAX_DEPTH = 10;

/**
 * A running `railyard/run-scenario` step: start the run whose id the step recorded (idempotent:
 * the id is fixed before the run exists), then wait for it; its outcome becomes the step's
 * (`warning` succeeds with a warning). Past the step's timeout the step fails and the run is
 * asked to abort. Answers when the parent must wait.
 * @internal
 */
export async function followChild(ex: Execution, index: number, step: ScenarioStep): Promise<StepResult | undefined> {
  const { rt } = ex;
  const report = ex.run.steps[index] as StepReportIn<'running'>;
  const childId = report.childRunId as string;
  let child = await readRun(rt.context, childId);
  if (!child) {
    // The child's id must be durable before the child exists, so that a restart does not start another.
    await ex.flush();
    const refused = await startChild(ex, step, childId);
    if (refused) {
      failAttempt(ex, index, step, refused);
      return undefined;
    }
    child = await readRun(rt.context, childId);
  }
  const now = rt.context.clock.now().getTime();
  const deadline = Date.parse(report.deadlineAt ?? ex.run.deadlineAt);
  const value = child?.value;
  if (value && scenarioRunMachine.isTerminal(value.status)) {
    const output = { runId: value.id, outcome: value.status };
    if (value.status === 'succeeded') succeed(ex, index, { output });
    else if (value.status === 'warning')
      succeed(ex, index, { output, warning: `run ${value.id} of ${value.scenario} ended warning` });
    else {
      const reason = 'reason' in value && value.reason ? `: ${value.reason}` : '';
      failAttempt(ex, index, step, {
        message: `run ${value.id} of scenario ${value.scenario} ended ${value.status}${reason}`,
        retryable: false,
      });
    }
    return undefined;
  }
  if (now >= deadline) {
    failAttempt(ex, index, step, {
      message: `run ${childId} did not finish within the step's timeout (${step.timeoutMs} ms); it was asked to abort`,
      code: 'TIMEOUT',
      retryable: false,
    });
    ex.toAbort.set(childId, `the step that started it in run ${ex.run.id} timed out`);
    return undefined;
  }
  return ex.waitUntil(value ? deadline : Math.min(deadline, now + 1000));
}

/** Queues the child run through its scenario's concurrency policy; answers why it was refused. */
async function startChild(ex: Execution, step: ScenarioStep, childId: string): Promise<StepError | undefined> {
  const { rt, run } = ex;
  const parsed = RunScenarioParams.safeParse(step.params);
  if (!parsed.success)
    return {
      message: `invalid params for railyard/run-scenario: ${parsed.error.issues[0]?.message}`,
      retryable: false,
    };
  const params = parsed.data;
  const target = await rt.cache.get(rt.context, params.scenario);
  if (!target)
    return {
      message: `scenario "${params.scenario}" is not defined: define it with scenarios.define`,
      code: 'NOT_FOUND',
      retryable: false,
    };
  const chain = [...run.ancestors, run.scenario];
  if (chain.includes(params.scenario))
    return { message: `running ${params.scenario} from ${chain.join(' → ')} would loop`, retryable: false };
  if (run.depth + 1 > MAX_DEPTH)
    return { message: `runs chain at most ${MAX_DEPTH} deep; ${params.scenario} would be deeper`, retryable: false };
  const environment = params.environment ?? run.environment;
  try {
    const admission: Admission | undefined = await withLane(rt, params.scenario, async (lane, work) => {
      if (await rt.context.store.get(KIND.scenarioRun, childId)) return undefined;
      return admit(rt, work, lane, target.value, {
        id: childId,
        fire: { kind: 'parent', at: ex.now(), runId: run.id, params: {} },
        by: SYSTEM_ACTOR,
        params: params.params,
        ...(environment === undefined ? {} : { environment }),
        ...(run.deploymentId === undefined ? {} : { deploymentId: run.deploymentId }),
        depth: run.depth + 1,
        ancestors: chain,
      });
    });
    if (admission && 'skipped' in admission) return { message: admission.detail, retryable: true };
    for (const id of admission?.replaced ?? [])
      rt.executing.get(id)?.abort(new AbortedError(`replaced by run ${childId}`));
    return undefined;
  } catch (error) {
    return toStepError(error);
  }
}
