import { defineMachine, type Machine, type MachineConfig } from '../machine/define-machine.js';

// The table as written; the exported machine carries its literal type through ScenarioRunMachineConfig.
const scenarioRunTable = {
  id: 'scenario-run',
  initial: 'queued',
  states: {
    queued: {
      description: 'Waiting in the scenario’s queue for a slot its concurrency policy allows.',
      on: { start: 'running', abort: 'aborted' },
    },
    running: {
      description: 'Claimed by one engine (compare-and-swap and a lease); its steps run in order.',
      on: { succeed: 'succeeded', warn: 'warning', fail: 'failed', abort: 'aborted', time_out: 'timed_out' },
    },
    succeeded: { terminal: true, description: 'Every step that ran succeeded.' },
    warning: { terminal: true, description: 'No step failed, but one warned or had its failure counted as a warning.' },
    failed: { terminal: true, description: 'A step failed (after its retries) and its failure counted.' },
    aborted: {
      terminal: true,
      description: 'Aborted by a person, or replaced by a newer run; remaining steps skipped.',
    },
    timed_out: {
      terminal: true,
      description: 'Still running at the scenario’s overall timeout; the current step was aborted.',
    },
  },
} as const satisfies MachineConfig;

/**
 * The scenario-run machine: a run waits in its scenario's queue, is claimed by one engine (with a
 * lease) and runs its steps, then ends with the outcome of its steps, or `aborted` (by a person, or
 * replaced by a newer run), or `timed_out` (past the scenario's overall timeout).
 *
 * @example
 * ```ts
 * scenarioRunMachine.next('running', 'warn'); // 'warning'
 * scenarioRunMachine.can('succeeded', 'abort'); // false
 * ```
 */
export const scenarioRunMachine: Machine<ScenarioRunMachineConfig> = defineMachine(scenarioRunTable);

/**
 * The scenario-run machine's transition table type.
 *
 * @example
 * ```ts
 * const states: Array<keyof ScenarioRunMachineConfig['states']> = [...scenarioRunMachine.states];
 * ```
 */
export type ScenarioRunMachineConfig = typeof scenarioRunTable;

/**
 * Every event of the scenario-run machine.
 *
 * @example
 * ```ts
 * const event: ScenarioRunEvent = 'abort';
 * ```
 */
export type ScenarioRunEvent = 'start' | 'succeed' | 'warn' | 'fail' | 'abort' | 'time_out';
