import { defineMachine, type Machine, type MachineConfig } from '../machine/define-machine.js';

// The table as written; the exported machine carries its literal type through EnvironmentMachineConfig.
const environmentTable = {
  id: 'environment',
  initial: 'ready',
  states: {
    ready: {
      description: 'Healthy: its active deployment (if any) was verified. Promotions start from its queue.',
      on: { heal: 'ready', degrade: 'degraded', halt: 'halted' },
    },
    degraded: {
      description:
        'Something failed that the engine did not repair (a failed verification, a critical monitor with nothing to roll back to) or a rollback is restoring the previous snapshot. Promotions still start.',
      on: { heal: 'ready', degrade: 'degraded', halt: 'halted' },
    },
    halted: {
      description:
        'Waiting for a person: nothing starts from its queue but a rollback an operator asked for. `resume` goes to `ready` only when its active deployment is healthy.',
      on: {
        heal: 'ready',
        degrade: 'halted',
        halt: 'halted',
        resume: { target: 'ready', guard: 'active_healthy' },
        resume_degraded: 'degraded',
      },
    },
  },
} as const satisfies MachineConfig;

/** The environment machine's transition table type: its states, events, targets and guards. */
export type EnvironmentMachineConfig = typeof environmentTable;

/**
 * An environment's health as the engine sees it. A verified deployment `heal`s it; a failure it
 * cannot repair by itself `degrade`s it; a failure past what the policy lets the engine handle
 * (the cap of automatic rollbacks, a failed rollback, a rollback policy that holds for a person)
 * `halt`s it. A halt is sticky: only an operator's `resume` (or a rollback the operator started,
 * once verified) lifts it, and a later failure leaves it halted. A status that does not change is
 * not journaled.
 *
 * @example
 * ```ts
 * environmentMachine.next('ready', 'degrade'); // 'degraded'
 * environmentMachine.next('halted', 'degrade'); // 'halted': only a person lifts a halt
 * ```
 */
export const environmentMachine: Machine<EnvironmentMachineConfig> = defineMachine(environmentTable);
