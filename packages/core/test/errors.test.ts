import { readFileSync } from 'node:fs';
import {
  AbortedError,
  AdapterError,
  ArchiveError,
  BlobIntegrityError,
  BundleConflictError,
  CapabilityError,
  CheckFailedError,
  IdempotencyConflictError,
  IllegalTransitionError,
  isRailyardError,
  NotFoundError,
  PolicyError,
  RAILYARD_ERROR_BRAND,
  RailyardError,
  type RailyardErrorCode,
  type RailyardErrorJSON,
  railyardErrorFromJSON,
  SecretUnavailableError,
  SettleLimitError,
  StoreLockedError,
  StoreReadOnlyError,
  TimeoutError,
  ValidationError,
  VersionConflictError,
} from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';

/** One instance of every class, keyed by the code it carries. */
const samples: Record<RailyardErrorCode, RailyardError> = {
  VALIDATION: new ValidationError('bad', { details: { issues: [{ path: 'to', message: 'x' }] } }),
  NOT_FOUND: new NotFoundError('deployment', 'production/000001', 'List deployments first.'),
  VERSION_CONFLICT: new VersionConflictError({ kind: 'environment', id: 'prod', expected: 1, actual: 2 }),
  POLICY_DENIED: new PolicyError('separation-of-duties', 'no self-approval', { actor: 'a' }),
  ILLEGAL_TRANSITION: new IllegalTransitionError({ machine: 'deployment', from: 'active', event: 'approve', id: 'd' }),
  ADAPTER: new AdapterError('store down', { retryable: true, details: { sqlstate: '57P01' } }),
  CAPABILITY_MISSING: new CapabilityError('transport', 'a remote environment needs a Transport'),
  STORE_LOCKED: new StoreLockedError({ dir: '/srv/ry', lockFile: '/srv/ry/lock', pid: 42, host: 'build-01' }),
  STORE_READ_ONLY: new StoreReadOnlyError({
    dir: '/srv/ry',
    aside: '/srv/ry/log.ndjson.rejected-7',
    commit: 7,
    seq: 31,
  }),
  BLOB_INTEGRITY: new BlobIntegrityError({ expected: 'sha256:aa', actual: 'sha256:bb' }),
  BUNDLE_CONFLICT: new BundleConflictError('churn@1.0.0 exists', { details: { project: 'churn' } }),
  IDEMPOTENCY_CONFLICT: new IdempotencyConflictError('key reused', { details: { deploymentId: 'p/1' } }),
  TIMEOUT: new TimeoutError('step did not finish within 5 ms'),
  ABORTED: new AbortedError('replaced by a newer run'),
  CHECK_FAILED: new CheckFailedError('production is critical', { details: { environment: 'production' } }),
  ARCHIVE_REFUSED: new ArchiveError('unsafe-path', 'escapes', { entry: '../x' }),
  SETTLE_LIMIT: new SettleLimitError(100),
  SECRET_UNAVAILABLE: new SecretUnavailableError({ secret: 'db', environment: 'production', reason: 'missing' }),
};

describe('errors', () => {
  it('round-trip through JSON as they cross the network, as the class of their code', () => {
    for (const [code, error] of Object.entries(samples)) {
      expect(error.code).toBe(code);
      const rebuilt = railyardErrorFromJSON(JSON.parse(JSON.stringify(error)));
      expect(rebuilt).toBeInstanceOf(error.constructor);
      expect(Object.getPrototypeOf(rebuilt)).toBe(error.constructor.prototype);
      expect(rebuilt.toJSON()).toEqual(error.toJSON());
      expect(isRailyardError(rebuilt, error.code)).toBe(true);
    }
    expect((railyardErrorFromJSON(samples.POLICY_DENIED.toJSON()) as PolicyError).rule).toBe('separation-of-duties');
    expect(samples.VERSION_CONFLICT.retryable).toBe(true);
    expect(samples.TIMEOUT.retryable).toBe(true);
    expect(samples.CHECK_FAILED.retryable).toBe(true);
  });

  it('rebuild a code this version does not know as a plain RailyardError that keeps it', () => {
    const wire = { name: 'FutureError', code: 'FUTURE', message: 'new', retryable: true, details: { a: 1 } };
    const rebuilt = railyardErrorFromJSON(wire as unknown as RailyardErrorJSON);
    expect(Object.getPrototypeOf(rebuilt)).toBe(RailyardError.prototype);
    expect(rebuilt.toJSON()).toEqual(wire);
  });

  it('are recognised across two copies of the package by their brand, not only by instanceof', () => {
    // The brand is the global symbol, so every copy of the package shares it.
    expect(RAILYARD_ERROR_BRAND).toBe(Symbol.for('railyard.error'));
    // What a second copy of @railyard/core builds: its own base class, branded the same way.
    class OtherCopyError extends Error {
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
      }
    }
    Object.defineProperty(OtherCopyError.prototype, Symbol.for('railyard.error'), { value: true });
    const foreign = new OtherCopyError('VERSION_CONFLICT', 'stale');
    expect(foreign instanceof RailyardError).toBe(false);
    expect(isRailyardError(foreign)).toBe(true);
    expect(isRailyardError(foreign, 'VERSION_CONFLICT')).toBe(true);
    expect(isRailyardError(foreign, 'ADAPTER')).toBe(false);
    expect(isRailyardError({ [Symbol.for('railyard.error')]: true, code: 'ADAPTER' }, 'ADAPTER')).toBe(true);
    // Look-alikes without the brand are not Railyard errors.
    expect(isRailyardError(Object.assign(new Error('x'), { code: 'ADAPTER' }))).toBe(false);
    expect(isRailyardError({ code: 'ADAPTER', message: 'x' })).toBe(false);
    expect(isRailyardError(null)).toBe(false);
    // The brand is invisible to JSON and to structural equality.
    expect(Object.keys(samples.ADAPTER)).not.toContain(Symbol.for('railyard.error'));
    expect(Object.getOwnPropertySymbols(samples.ADAPTER)).toEqual([]);
  });

  it('each name a section of docs/errors.md that says what the code means and what to do', () => {
    const page = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const error of Object.values(samples)) {
      const anchor = error.docs.split('#')[1];
      expect(error.docs).toBe(`docs/errors.md#${error.code.toLowerCase()}`);
      expect(page).toContain(`\n## ${error.code}\n`);
      expect(anchor).toBe(error.code.toLowerCase());
    }
  });

  it('never serialise their cause', () => {
    const error = new RailyardError('ADAPTER', 'store down', { cause: new Error('password=hunter2') });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
