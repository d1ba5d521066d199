import { type DeploymentIn, defineMachine, deploymentMachine, environmentMachine, toMermaid } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { type FieldsFor, transitionDeployment } from '#internal/machines/deployment-transition.js';
import { transitionEnvironment } from '#internal/machines/environment-transition.js';

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
    expect(diagram).toContain('  verifying --> rolling_back: roll_back [not_a_rollback]');
    expect(diagram).toContain('  superseded --> [*]');
    const edges = diagram.split('\n').filter((line) => line.includes(': '));
    const expected = deploymentMachine.states.reduce((n, s) => n + deploymentMachine.events(s).length, 0);
    expect(edges).toHaveLength(expected);
  });

  it('names guards on the moves they decide, and answers them from the table', () => {
    expect(deploymentMachine.guard('verifying', 'roll_back')).toBe('not_a_rollback');
    expect(deploymentMachine.guard('verifying', 'verified')).toBeUndefined();
    expect(deploymentMachine.tryNext('verifying', 'roll_back')).toBe('rolling_back');
    expect(environmentMachine.guard('halted', 'resume')).toBe('active_healthy');
  });

  it('refuses a guarded move whose guard does not hold: a rollback is never rolled back', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const verifying = { id: 'production/000002', status: 'verifying', environment: 'production', enteredAt: at };
    const context = { at, actor: { id: 'system', roles: [] } };
    const fields = { rollback: 'production/000003' } as unknown as FieldsFor<'rolling_back'>;
    const ofKind = (kind: string) => ({ ...verifying, kind }) as unknown as DeploymentIn<'verifying'>;
    expect(() => transitionDeployment(ofKind('rollback'), 'roll_back', context, fields)).toThrow(
      expect.objectContaining({
        code: 'ILLEGAL_TRANSITION',
        message: expect.stringContaining('guard "not_a_rollback" does not hold'),
      }),
    );
    const { next } = transitionDeployment(ofKind('promotion'), 'roll_back', context, fields);
    expect(next.status).toBe('rolling_back');
  });
});

describe('the environment machine', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const actor = { id: 'ops', roles: ['ops'] };
  const environment = {
    definition: { id: 'production' },
    status: 'ready',
    active: null,
    inFlight: null,
    queue: [],
    consecutiveAutoRollbacks: 0,
    sequence: 0,
    createdAt: at,
    updatedAt: at,
  } as never as Parameters<typeof transitionEnvironment<'ready', 'degrade'>>[0];

  it('journals and announces a change of status, with its reason', () => {
    const { next, effects } = transitionEnvironment(environment, 'degrade', { at, actor, reason: 'monitor critical' });
    expect(next).toMatchObject({ status: 'degraded', statusReason: 'monitor critical' });
    expect(effects).toEqual([
      {
        type: 'journal',
        draft: expect.objectContaining({
          type: 'environment.status',
          reason: 'monitor critical',
          data: { from: 'ready', to: 'degraded', event: 'degrade' },
        }),
      },
      {
        type: 'emit',
        name: 'environment.status',
        payload: { environment: 'production', from: 'ready', to: 'degraded', reason: 'monitor critical' },
      },
    ]);
    const healed = transitionEnvironment({ ...next, status: 'degraded' as const }, 'heal', { at, actor, reason: 'ok' });
    expect(healed.next.status).toBe('ready');
    expect(healed.next).not.toHaveProperty('statusReason');
  });

  it('changes nothing, and journals nothing, when the status stays', () => {
    const { next, effects } = transitionEnvironment(environment, 'heal', { at, actor, reason: 'verified' });
    expect(next).toBe(environment);
    expect(effects).toEqual([]);
  });

  it('keeps a halt until a person resumes it: a later failure does not lift it', () => {
    const halted = { ...environment, status: 'halted' as const, statusReason: 'cap reached' };
    const { next, effects } = transitionEnvironment(halted, 'degrade', { at, actor, reason: 'monitor critical' });
    expect(next).toMatchObject({ status: 'halted', statusReason: 'cap reached' });
    expect(effects).toEqual([]);
  });

  it('resumes to ready only when the guard active_healthy holds', () => {
    const halted = { ...environment, status: 'halted' as const };
    expect(
      transitionEnvironment(halted, 'resume', { at, actor, reason: 'fixed', activeStatus: 'active' }).next.status,
    ).toBe('ready');
    expect(() =>
      transitionEnvironment(halted, 'resume', { at, actor, reason: 'fixed', activeStatus: 'failed' }),
    ).toThrow(
      expect.objectContaining({
        code: 'ILLEGAL_TRANSITION',
        message: expect.stringContaining('guard "active_healthy" does not hold'),
      }),
    );
    expect(
      transitionEnvironment(halted, 'resume_degraded', { at, actor, reason: 'fixed', activeStatus: 'failed' }).next
        .status,
    ).toBe('degraded');
  });
});
