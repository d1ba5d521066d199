import { type Deployment, type DeploymentIn, defineMachine, deploymentMachine } from '@railyard/core';
import { describe, expectTypeOf, it } from 'vitest';
import { transitionDeployment } from '#internal/machines/deployment-transition.js';

declare const awaiting: DeploymentIn<'awaiting_approval'>;
declare const active: DeploymentIn<'active'>;
declare const verifying: DeploymentIn<'verifying'>;
declare const any: Deployment;
const ctx = { at: '2026-01-01T00:00:00.000Z', actor: { id: 'a', roles: [] } };

describe('the deployment machine rejects illegal programs at compile time', () => {
  it('types legal moves and their targets', () => {
    expectTypeOf(deploymentMachine.next('awaiting_approval', 'approve')).toEqualTypeOf<'approved'>();
    expectTypeOf(deploymentMachine.next('verifying', 'roll_back')).toEqualTypeOf<'rolling_back'>();
    const { next } = transitionDeployment(awaiting, 'reject', ctx, { rejection: { by: ctx.actor, at: ctx.at } });
    expectTypeOf(next).toEqualTypeOf<DeploymentIn<'rejected'>>();
  });

  it('refuses events that are not legal in a state', () => {
    // @ts-expect-error an active deployment cannot be approved
    deploymentMachine.next('active', 'approve');
    // @ts-expect-error a finished deployment cannot time out
    deploymentMachine.next('failed', 'timeout');
    // @ts-expect-error rollbacks start from verification, not from approval
    deploymentMachine.next('awaiting_approval', 'roll_back');
    // @ts-expect-error unknown event
    deploymentMachine.next('requested', 'deploy');
    // @ts-expect-error unknown state
    deploymentMachine.next('paused', 'start');
    // @ts-expect-error an active deployment cannot be rejected
    transitionDeployment(active, 'reject', ctx, { rejection: { by: ctx.actor, at: ctx.at } });
  });

  it('demands the fields the target state needs', () => {
    // @ts-expect-error a rejection needs its decision
    transitionDeployment(awaiting, 'reject', ctx, {});
    // @ts-expect-error going active needs verifiedAt and the snapshot
    transitionDeployment(verifying, 'verified', ctx, { verifiedAt: ctx.at });
  });

  it('lets a variant carry only its legal fields', () => {
    if (any.status === 'failed') expectTypeOf(any.failure.reason).toBeString();
    if (any.status === 'rejected') expectTypeOf(any.rejection.by.id).toBeString();
    // @ts-expect-error only a failed (or rolled back) deployment has a failure
    any.failure;
    // @ts-expect-error an awaiting deployment has no snapshot yet
    awaiting.snapshot;
    // @ts-expect-error nor a verification in progress
    awaiting.verification;
  });

  it('refuses transition tables that name unknown states', () => {
    defineMachine({
      id: 'ok',
      initial: 'a',
      states: { a: { on: { go: 'b' } }, b: { terminal: true } },
    } as const);
    expectTypeOf(
      defineMachine({ id: 'x', initial: 'a', states: { a: { on: { go: 'b' } }, b: {} } } as const).next('a', 'go'),
    ).toEqualTypeOf<'b'>();
    expectTypeOf(
      defineMachine({
        id: 'g',
        initial: 'a',
        states: { a: { on: { go: { target: 'b', guard: 'ready' } } }, b: {} },
      } as const).next('a', 'go'),
    ).toEqualTypeOf<'b'>();
    // The checks throw at run time too: only the compile-time refusal is under test here.
    const refused = () => {
      defineMachine({
        id: 'typo',
        initial: 'a',
        // @ts-expect-error 'c' is not a state of this table
        states: { a: { on: { go: 'c' } }, b: {} },
      } as const);
      defineMachine({
        id: 'guarded-typo',
        initial: 'a',
        // @ts-expect-error a guarded move's target must be a state too
        states: { a: { on: { go: { target: 'c', guard: 'ready' } } }, b: {} },
      } as const);
      // @ts-expect-error the initial state must be one of the table's states
      defineMachine({ id: 'no-initial', initial: 'z', states: { a: { on: { go: 'a' } } } } as const);
    };
    expectTypeOf(refused).toBeFunction();
  });
});
