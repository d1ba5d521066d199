import type { Machine, MachineConfig } from './define-machine.js';

/**
 * Draws a machine as a Mermaid `stateDiagram-v2`, straight from its transition table.
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
    for (const [event, target] of Object.entries(node?.on ?? {})) lines.push(`  ${state} --> ${target}: ${event}`);
    if (node?.terminal) lines.push(`  ${state} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
