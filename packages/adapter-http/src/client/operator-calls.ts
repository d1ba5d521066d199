import {
  DeploymentSchema,
  type EnvironmentHealth,
  EnvironmentRecordSchema,
  type Explanation,
  JournalEntrySchema,
  type Silence,
} from '@railyard/core';
import { isRailyardError } from '@railyard/core/errors';
import type { AgentClient } from './agent-client.js';
import { sendCommand } from './command.js';
import type { Requester } from './requester.js';
import { parseAnswer } from './wire.js';

type OperatorCalls = Pick<
  AgentClient,
  | 'cancel'
  | 'abandon'
  | 'resume'
  | 'silence'
  | 'unsilence'
  | 'silences'
  | 'environment'
  | 'environmentHealth'
  | 'explain'
  | 'journal'
>;

const segment = encodeURIComponent;

/** The query naming a deployment, or a bundle and an environment (plans and explanations). @internal */
export function targetQuery(input: { deployment: string } | { bundle: string; to: string }): URLSearchParams {
  return new URLSearchParams(
    'deployment' in input ? { deployment: input.deployment } : { bundle: input.bundle, to: input.to },
  );
}

/**
 * The calls of an operator's terminal: cancel, abandon, resume and silences (commands, each with
 * an `Idempotency-Key`), and reads of one environment, its health, explanations and the journal.
 * @internal
 */
export function operatorCalls(request: Requester): OperatorCalls {
  const read = async (path: string, what: string) => (await request({ method: 'GET', path, what })).json();
  const environmentPath = (environment: string) => `/v1/environments/${segment(environment)}`;
  return {
    async cancel(id, input = {}) {
      const what = `Cancelling ${id}`;
      const path = `/v1/deployments/${segment(id)}/cancel`;
      return parseAnswer(DeploymentSchema, await sendCommand(request, path, input, what), what);
    },
    async abandon(id, input = {}) {
      const what = `Abandoning ${id}`;
      const path = `/v1/deployments/${segment(id)}/abandon`;
      return parseAnswer(DeploymentSchema, await sendCommand(request, path, input, what), what);
    },
    async resume(environment, input = {}) {
      const what = `Resuming ${environment}`;
      const path = `${environmentPath(environment)}/resume`;
      return parseAnswer(EnvironmentRecordSchema, await sendCommand(request, path, input, what), what);
    },
    async silence(environment, input) {
      const what = `Silencing monitor ${input.monitor} of ${environment}`;
      const path = `${environmentPath(environment)}/silences`;
      return (await (await sendCommand(request, path, input, what)).json()) as Silence;
    },
    async unsilence(environment, monitor, input = {}) {
      const what = `Ending the silence of monitor ${monitor} of ${environment}`;
      const path = `${environmentPath(environment)}/silences/${segment(monitor)}/end`;
      return (await (await sendCommand(request, path, input, what)).json()) as Silence;
    },
    silences: async (environment) =>
      (await read(`${environmentPath(environment)}/silences`, `Listing the silences of ${environment}`)) as Silence[],
    async environment(id) {
      const what = `Reading environment ${id}`;
      try {
        return await parseAnswer(
          EnvironmentRecordSchema,
          await request({ method: 'GET', path: environmentPath(id), what }),
          what,
        );
      } catch (error) {
        if (isRailyardError(error, 'NOT_FOUND') && error.details.kind === 'environment') return null;
        throw error;
      }
    },
    environmentHealth: async (environment) =>
      (await read(
        `${environmentPath(environment)}/health`,
        `Reading the health of ${environment}`,
      )) as EnvironmentHealth,
    explain: async (input) =>
      (await read(`/v1/explain?${targetQuery(input)}`, 'Reading an explanation')) as Explanation,
    async journal(query = {}) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
      const what = 'Reading the journal';
      const path = `/v1/journal${params.size ? `?${params}` : ''}`;
      return parseAnswer(JournalEntrySchema.array(), await request({ method: 'GET', path, what }), what);
    },
  };
}
