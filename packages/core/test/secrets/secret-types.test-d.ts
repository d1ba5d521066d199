import type { ActivationHook, ProbeContext, SecretRef, SettingValue, Snapshot, StepContext } from '@railyard/core';
import { describe, expectTypeOf, it } from 'vitest';

// Stored snapshots may hold references; host code only ever sees strings.
describe('secret references in types', () => {
  it('a stored snapshot holds strings or references', () => {
    expectTypeOf<Snapshot['variables'][string]>().toEqualTypeOf<SettingValue>();
    expectTypeOf<Snapshot['connections'][string]>().toEqualTypeOf<string | SecretRef>();
  });
  it('host code receives resolved strings', () => {
    expectTypeOf<ProbeContext['snapshot']['variables'][string]>().toEqualTypeOf<string>();
    expectTypeOf<Parameters<ActivationHook>[0]['snapshot']['connections'][string]>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<StepContext['snapshot']>['variables'][string]>().toEqualTypeOf<string>();
    // @ts-expect-error a reference is not a value host code can use
    const value: string = ({} as Snapshot).variables.DB_PASSWORD as SettingValue;
    void value;
  });
});
