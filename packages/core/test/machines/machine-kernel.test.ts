import { defineMachine, deploymentMachine, toMermaid } from '@railyard/core';
import { describe, expect, it } from 'vitest';

describe('the machine kernel', () => {
  it('answers legal moves from the transition table', () => {
    expect(deploymentMachine.next('requested', 'submit')).toBe('awaiting_approval');
    expect(deploymentMachine.can('active', 'supersede')).toBe(true);
    expect(deploymentMachine.can('active', 'approve')).toBe(false);
    expect(deploymentMachine.events('approved').sort()).toEqual(['abandon', 'cancel', 'start', 'timeout']);
    expect(deploymentMachine.isTerminal('rolled_back')).toBe(true);
    expect(deploymentMachine.isTerminal('active')).toBe(false);
  });

  it('throws a typed error when an illegal move is forced at run time', () => {
    expect(() => deploymentMachine.next('failed' as 'requested', 'submit')).toThrow(
      expect.objectContaining({
        code: 'ILLEGAL_TRANSITION',
        details: expect.objectContaining({ from: 'failed', event: 'submit' }),
      }),
    );
  });

  it('gives every non-terminal state but active a deadline and an abandon', () => {
    for (const state of deploymentMachine.states) {
      if (deploymentMachine.isTerminal(state) || state === 'active') continue;
      expect(deploymentMachine.tryNext(state, 'timeout'), state).toBe('failed');
      expect(deploymentMachine.tryNext(state, 'abandon'), state).toBe('failed');
    }
  });

  it('refuses a table whose target does not exist', () => {
    expect(() => defineMachine({ id: 'bad', initial: 'a', states: { a: { on: { go: 'nowhere' } } } } as never)).toThrow(
      /unknown state "nowhere"/,
    );
  });

  it('draws the machine in Mermaid from its definition', () => {
    const diagram = toMermaid(deploymentMachine);
    expect(diagram.startsWith('stateDiagram-v2\n  [*] --> requested\n')).toBe(true);
    expect(diagram).toContain('  verifying --> rolling_back: roll_back');
    expect(diagram).toContain('  superseded --> [*]');
    const edges = diagram.split('\n').filter((line) => line.includes(': '));
    const expected = deploymentMachine.states.reduce((n, s) => n + deploymentMachine.events(s).length, 0);
    expect(edges).toHaveLength(expected);
  });
});
