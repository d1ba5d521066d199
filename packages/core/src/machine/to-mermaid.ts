import type { Machine, MachineConfig } from './define-machine.js';

/**
 * Draws a machine as a Mermaid `stateDiagram-v2`, straight from its transition table; a guarded
 * move is labelled `event [guard]`.
 *
 * @example
 * ```ts
 * console.log(toMermaid(deploymentMachine));
 * ```
 */
export function toMermaid<TConfig extends MachineConfig>(machine: Machine<TConfig>): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${machine.config.initial}`];
  for (const state of machine.states) {
    const node = (machine.config.states as Record<string, MachineConfig['states'][string]>)[state];
    for (const [event, move] of Object.entries(node?.on ?? {})) {
      // A guarded move is drawn with its guard in brackets, as UML writes guards.
      const label = typeof move === 'object' ? `${event} [${move.guard}]` : event;
      lines.push(`  ${state} --> ${typeof move === 'object' ? move.target : move}: ${label}`);
    }
    if (node?.terminal) lines.push(`  ${state} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
