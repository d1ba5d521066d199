import {
  isRailyardError,
  PolicyError,
  RailyardError,
  railyardErrorFromJSON,
  ValidationError,
  VersionConflictError,
} from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';

describe('errors', () => {
  it('round-trip through JSON as they cross the network, keeping code, rule and retryability', () => {
    const errors = [
      new PolicyError('separation-of-duties', 'no self-approval', { actor: 'a' }),
      new VersionConflictError({ kind: 'environment', id: 'prod', expected: 1, actual: 2 }),
      new ValidationError('bad', { details: { issues: [{ path: 'to', message: 'x' }] } }),
    ];
    for (const error of errors) {
      const wire = JSON.parse(JSON.stringify(error));
      const rebuilt = railyardErrorFromJSON(wire);
      expect(rebuilt).toBeInstanceOf(RailyardError);
      expect(rebuilt.toJSON()).toEqual(error.toJSON());
      expect(isRailyardError(rebuilt, error.code)).toBe(true);
    }
    expect((railyardErrorFromJSON(errors[0]!.toJSON()) as PolicyError).rule).toBe('separation-of-duties');
    expect(errors[1]!.retryable).toBe(true);
  });

  it('never serialise their cause', () => {
    const error = new RailyardError('ADAPTER', 'store down', { cause: new Error('password=hunter2') });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
