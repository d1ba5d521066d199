import { type EnvironmentRecord, environmentMachine } from '@railyard/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type EnvironmentIn, transitionEnvironment } from '#internal/machines/environment-transition.js';

declare const ready: EnvironmentIn<'ready'>;
declare const halted: EnvironmentIn<'halted'>;
declare const any: EnvironmentRecord;
const change = { at: '2026-01-01T00:00:00.000Z', actor: { id: 'a', roles: [] }, reason: 'why' };

describe('the environment machine rejects illegal programs at compile time', () => {
  it('types legal moves and their targets', () => {
    expectTypeOf(environmentMachine.next('ready', 'degrade')).toEqualTypeOf<'degraded'>();
    expectTypeOf(environmentMachine.next('degraded', 'heal')).toEqualTypeOf<'ready'>();
    expectTypeOf(environmentMachine.next('halted', 'resume')).toEqualTypeOf<'ready'>();
    expectTypeOf(environmentMachine.next('halted', 'degrade')).toEqualTypeOf<'halted'>();
    expectTypeOf(transitionEnvironment(ready, 'halt', change).next).toEqualTypeOf<EnvironmentIn<'halted'>>();
    expectTypeOf(transitionEnvironment(halted, 'resume_degraded', change).next).toEqualTypeOf<
      EnvironmentIn<'degraded'>
    >();
    // Events legal in every status can be fired on a record whose status is not known.
    transitionEnvironment(any, 'degrade', change);
  });

  it('refuses events that are not legal in a status', () => {
    // @ts-expect-error only a halted environment is resumed
    environmentMachine.next('ready', 'resume');
    // @ts-expect-error only a halted environment is resumed, degraded or not
    environmentMachine.next('degraded', 'resume_degraded');
    // @ts-expect-error unknown event
    environmentMachine.next('ready', 'pause');
    // @ts-expect-error unknown status
    environmentMachine.next('frozen', 'heal');
    // @ts-expect-error a ready environment cannot be resumed
    transitionEnvironment(ready, 'resume', change);
    // @ts-expect-error resume is not legal in every status, so not on a record of unknown status
    transitionEnvironment(any, 'resume', change);
  });

  it('refuses wrong targets', () => {
    // @ts-expect-error degrade leads to degraded, not halted
    expectTypeOf(environmentMachine.next('ready', 'degrade')).toEqualTypeOf<'halted'>();
    // @ts-expect-error heal leads to ready
    expectTypeOf(transitionEnvironment(halted, 'heal', change).next).toEqualTypeOf<EnvironmentIn<'halted'>>();
  });

  it('demands the reason for a change', () => {
    // @ts-expect-error a status change says why
    transitionEnvironment(ready, 'degrade', { at: change.at, actor: change.actor });
  });
});
