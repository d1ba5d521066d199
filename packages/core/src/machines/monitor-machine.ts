import { defineMachine, type Machine, type MachineConfig } from '../machine/define-machine.js';

// The table as written; the exported machine carries its literal type through MonitorMachineConfig.
const monitorTable = {
  id: 'monitor',
  initial: 'unknown',
  states: {
    unknown: {
      description: 'No conclusive reading yet (or a silence just ended). Never counts as healthy.',
      on: { clear: 'ok', warn: 'warning', trip: 'critical', silence: 'silenced' },
    },
    ok: { description: 'Readings pass.', on: { warn: 'warning', trip: 'critical', silence: 'silenced' } },
    warning: {
      description: 'Readings breach the warning threshold; reported, does not roll back.',
      on: { clear: 'ok', trip: 'critical', silence: 'silenced' },
    },
    critical: {
      description: 'Readings breach the critical threshold; triggers the rollback policy unless in shadow mode.',
      on: { clear: 'ok', warn: { target: 'warning', guard: 'critical_cleared' }, silence: 'silenced' },
    },
    silenced: {
      description: 'Silenced by a person until an expiry; readings are recorded, nothing acts.',
      on: { expire: 'unknown' },
    },
  },
} as const satisfies MachineConfig;

/** The monitor machine's transition table type: its states, events, targets and guards. */
export type MonitorMachineConfig = typeof monitorTable;

/**
 * A monitor's health, moved by readings through hysteresis: `failAfter` consecutive critical
 * breaches `trip` it to `critical`, `failAfter` consecutive breaches of either level `warn` it to
 * `warning`, `clearAfter` consecutive passes `clear` it to `ok`. A critical monitor steps down to
 * `warning` only when the guard `critical_cleared` holds: `clearAfter` consecutive readings at the
 * warning level. A silence holds it in `silenced` (recorded, never acting) until it expires.
 *
 * @example
 * ```ts
 * monitorMachine.next('ok', 'trip'); // 'critical'
 * ```
 */
export const monitorMachine: Machine<MonitorMachineConfig> = defineMachine(monitorTable);

/** A monitor status. */
export type MonitorStatus = (typeof monitorMachine.states)[number];
