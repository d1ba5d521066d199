import { defineMachine, type Machine, type MachineConfig } from '../machine/define-machine.js';

// The table as written; the exported machine carries its literal type through ScenarioStepMachineConfig.
const scenarioStepTable = {
  id: 'scenario-step',
  initial: 'pending',
  states: {
    pending: {
      description: 'Not reached yet; its run condition is evaluated when the earlier steps are done.',
      on: { start: 'running', skip: 'skipped' },
    },
    running: {
      description: 'An attempt runs (or a built-in waits: on the clock, or for another run).',
      on: { succeed: 'succeeded', fail: 'failed', retry: 'retrying', resume: 'running' },
    },
    retrying: {
      description: 'A retryable attempt failed; the next starts after the backoff delay, on the clock.',
      on: { start: 'running', fail: 'failed' },
    },
    succeeded: { terminal: true, description: 'An attempt succeeded (possibly with a warning).' },
    failed: {
      terminal: true,
      description: 'The last attempt failed, or the run was aborted or timed out while it ran.',
    },
    skipped: { terminal: true, description: 'Its run condition was false, or the run ended before it.' },
  },
} as const satisfies MachineConfig;

/**
 * The step machine: each step of a run is `pending` until its run condition is evaluated, then
 * `skipped` or `running`; a retryable failure with retries left moves it to `retrying` until the
 * backoff delay passes on the clock. `resume` re-runs an attempt whose engine stopped or lost its
 * lease (the idempotency key is the same).
 *
 * @example
 * ```ts
 * scenarioStepMachine.next('running', 'retry'); // 'retrying'
 * scenarioStepMachine.can('skipped', 'start'); // false
 * ```
 */
export const scenarioStepMachine: Machine<ScenarioStepMachineConfig> = defineMachine(scenarioStepTable);

/**
 * The step machine's transition table type.
 *
 * @example
 * ```ts
 * const states: Array<keyof ScenarioStepMachineConfig['states']> = [...scenarioStepMachine.states];
 * ```
 */
export type ScenarioStepMachineConfig = typeof scenarioStepTable;
