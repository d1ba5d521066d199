import * as z from 'zod';
import { NotFoundError } from '../../errors/errors.js';
import { deploymentMachine } from '../../machines/deployment-machine.js';
import { DeploymentId } from '../../model/commands.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest, Slug } from '../../model/primitives.js';
import type { EngineContext } from '../../runtime/context.js';
import { readDeployment, readEnvironment } from '../../runtime/records.js';
import { plan } from './plan.js';
import type { GateResult } from './promotion-gates.js';

/** Input of `explain`: a deployment id, or a bundle and a target environment. @hidden */
export const ExplainInput = z.union([DeploymentId, z.object({ bundle: Digest, to: Slug }).strict()]);
/** Input of `explain`. */
export type ExplainInput = z.input<typeof ExplainInput>;

/** Why a deployment is where it is, or what stands between a bundle and an environment. */
export interface Explanation {
  /** The gates, and where each stands. */
  gates: GateResult[];
  /** For a deployment: its status, what it waits for, and its deadline. */
  deployment?: {
    /** The deployment's id. */
    id: string;
    /** Its state. */
    status: string;
    /** What it waits for (approvals, a free slot, a freeze to end…). */
    waitingFor: string[];
    /** When its current state's deadline passes (ISO time). */
    deadlineAt?: string;
  };
  /** The same, as sentences for people. */
  text: string;
}

/**
 * Explains every gate with its state (passed, blocking with the reason, opening at a time, or
 * pending people), and for a deployment what it is waiting for right now: approvals (how many,
 * from whom), its turn in the queue, verification, or nothing (it finished).
 * @internal
 */
export async function explain(context: EngineContext, input: ExplainInput): Promise<Explanation> {
  const target = parseInput(ExplainInput, input, 'explain');
  if (typeof target !== 'string') {
    const planned = await plan(context, target);
    return { gates: planned.gates, text: planned.gates.map(line).join('\n') };
  }
  const deployment = await readDeployment(context, target);
  if (!deployment) throw new NotFoundError('deployment', target);
  const d = deployment.value;
  const environment = await readEnvironment(context, d.environment);
  if (!environment) throw new NotFoundError('environment', d.environment);
  const env = environment.value;
  const gates =
    deploymentMachine.isTerminal(d.status) || d.status === 'active'
      ? []
      : (await plan(context, { deployment: d.id })).gates;
  const waitingFor: string[] = [];
  if (d.status === 'awaiting_approval') {
    const { required, roles } = env.definition.policy.approvals;
    const by = d.approvals.map((a) => a.by.id);
    waitingFor.push(
      `${required - d.approvals.length} more approval(s) from ${roles.join(' or ')}${by.length ? ` (approved by ${by.join(', ')})` : ''}`,
    );
  }
  const handover = gates.find((gate) => gate.gate === 'handover' && gate.status !== 'pass');
  if (handover) waitingFor.push(handover.reason.replace(/^waiting for /, ''));
  if (d.status === 'approved' || d.status === 'requested') {
    const ahead = [env.inFlight, ...env.queue.slice(0, env.queue.indexOf(d.id))].filter(
      (id): id is string => id !== null,
    );
    waitingFor.push(
      env.status === 'halted'
        ? `${env.definition.id} to be resumed (${env.statusReason ?? 'halted'})`
        : ahead.length
          ? `its turn behind ${ahead.join(', ')}`
          : 'the worker to start it',
    );
  }
  if (d.status === 'verifying') {
    const scenarios = Object.entries(d.verification.scenarios)
      .filter(([, p]) => p.status !== 'passed')
      .map(([id, p]) => `scenario ${id} (${p.status}${p.runId && p.status === 'running' ? `, run ${p.runId}` : ''})`);
    const monitors = Object.entries(d.verification.monitors)
      .filter(([, p]) => p.status !== 'ok')
      .map(([id, p]) => `monitor ${id} (${p.status})`);
    waitingFor.push(...scenarios, ...monitors, `the bake time to end at ${d.verification.bakeUntil}`);
  }
  if (d.status === 'rolling_back') waitingFor.push(`its rollback ${d.rollback}`);
  const summary = {
    id: d.id,
    status: d.status,
    waitingFor,
    ...('deadlineAt' in d && !deploymentMachine.isTerminal(d.status) ? { deadlineAt: d.deadlineAt } : {}),
  };
  const text = [
    `${d.id} (${d.project}@${d.version} → ${d.environment}) is ${d.status}${summary.deadlineAt ? `; deadline ${summary.deadlineAt}` : ''}`,
    ...waitingFor.map((w) => `  waiting for ${w}`),
    ...gates.map(line),
  ].join('\n');
  return { gates, deployment: summary, text };
}

function line(gate: GateResult): string {
  const state =
    gate.status === 'block'
      ? gate.opensAt
        ? `blocking until ${gate.opensAt}`
        : 'blocking'
      : gate.status === 'pending'
        ? 'pending'
        : 'passed';
  return `  ${gate.gate}: ${state}: ${gate.reason}`;
}
