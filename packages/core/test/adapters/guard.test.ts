import { createRailyard, memoryBlobStore, memoryStateStore, memoryTransport, type Railyard } from '@railyard/core';
import { adapterError, type Notifier, type StateStore, type Transport } from '@railyard/core/adapters';
import { AdapterError, isRailyardError } from '@railyard/core/errors';
import { createFakeClock } from '@railyard/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { designer, requester } from '../deployments/fixtures.js';

// No back-off between attempts: the retries are what is under test, not the wait.
const retry = { retries: 3, minTimeoutMs: 0, maxTimeoutMs: 0 };

/** Makes `method` of `target` throw the given failures in turn, then behave. */
function failing<T extends object>(
  target: T,
  method: keyof T,
  failures: unknown[],
): { target: T; calls: () => number } {
  let calls = 0;
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  const wrapped = {
    ...target,
    [method]: async (...args: unknown[]) => {
      calls++;
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return original(...args);
    },
  } as T;
  return { target: wrapped, calls: () => calls };
}

const networkError = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

describe('the core guards every adapter call', () => {
  it('retries a store call that fails with a retryable error, and only that', async () => {
    const flaky = failing<StateStore>(memoryStateStore(), 'get', [
      adapterError({ operation: 'test store: get', cause: new Error('connection lost'), retryable: true }),
      networkError(),
    ]);
    const railyard = createRailyard({ store: flaky.target, blobs: memoryBlobStore(), retry });
    expect(await railyard.environments.get('nowhere')).toBe(null);
    expect(flaky.calls()).toBe(3);

    const broken = failing<StateStore>(memoryStateStore(), 'get', [
      adapterError({ operation: 'test store: get', cause: new Error('permission denied'), retryable: false }),
    ]);
    const refused = createRailyard({ store: broken.target, blobs: memoryBlobStore(), retry });
    await expect(refused.environments.get('nowhere')).rejects.toMatchObject({ code: 'ADAPTER', retryable: false });
    expect(broken.calls()).toBe(1);
  });

  it('normalises what an adapter threw into an AdapterError keeping the cause; backend codes it does not know are not retried', async () => {
    // A SQLSTATE means nothing to the core: the PostgreSQL adapter classifies its own errors.
    const sqlstate = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const flaky = failing<StateStore>(memoryStateStore(), 'get', [sqlstate]);
    const railyard = createRailyard({ store: flaky.target, blobs: memoryBlobStore(), retry });
    const error = await railyard.environments.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ retryable: false, cause: sqlstate });
    expect((error as Error).message).toMatch(/^state store get\(environment\) failed: terminating connection/);
    expect(flaky.calls()).toBe(1);
  });

  it('gives up after the configured retries with the last error', async () => {
    const failures = Array.from({ length: 10 }, networkError);
    const flaky = failing<StateStore>(memoryStateStore(), 'get', failures);
    const railyard = createRailyard({ store: flaky.target, blobs: memoryBlobStore(), retry: { ...retry, retries: 2 } });
    await expect(railyard.environments.get('x')).rejects.toMatchObject({ code: 'ADAPTER', retryable: true });
    expect(flaky.calls()).toBe(3);
  });

  it('retries transport calls marked retryable: a remote promotion goes through a flaky link', async () => {
    const clock = createFakeClock();
    const production = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore(), clock });
    await production.environments.define({ id: 'production' });
    const busy = () =>
      adapterError({
        operation: 'test transport',
        cause: new Error('HTTP 503'),
        retryable: true,
        details: { httpStatus: 503 },
      });
    const refusing = () =>
      adapterError({ operation: 'test transport', cause: new Error('HTTP 401'), retryable: false });
    let link = failing<Transport>(memoryTransport(production), 'missingBlobs', [busy(), busy()]);
    link = failing<Transport>(link.target, 'promote', [networkError()]);
    const promoteCalls = link.calls;
    const design = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      clock,
      transport: link.target,
      retry,
    });
    await design.environments.define({ id: 'production', remote: true });
    const bundle = await design.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'model.bin', content: 'weights' }],
      createdBy: designer,
    });
    const remote = await design.promote({ bundle: bundle.id, to: 'production', by: requester, idempotencyKey: 'k-1' });
    expect(promoteCalls()).toBe(2);
    expect((await production.history('production')).map((d) => d.id)).toEqual([remote.id]);

    const refused = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      clock,
      transport: failing<Transport>(memoryTransport(production), 'missingBlobs', [refusing()]).target,
      retry,
    });
    await refused.environments.define({ id: 'production', remote: true });
    const other = await refused.bundles.create({
      project: 'churn',
      version: '1.0.1',
      entries: [{ path: 'model.bin', content: 'weights 2' }],
      createdBy: designer,
    });
    await expect(refused.promote({ bundle: other.id, to: 'production', by: requester })).rejects.toMatchObject({
      code: 'ADAPTER',
      retryable: false,
    });
  });

  it('retries notifier deliveries marked retryable, and reports one that still fails on the error event', async () => {
    const delivered: string[] = [];
    const failures: unknown[] = [
      adapterError({ operation: 'test notifier', cause: new Error('HTTP 503'), retryable: true }),
    ];
    const notifier: Notifier = {
      async notify(notification) {
        const failure = failures.shift();
        if (failure) throw failure;
        delivered.push(notification.type);
      },
    };
    const refusing: Notifier = {
      notify: vi.fn(async () => {
        throw adapterError({ operation: 'test notifier', cause: new Error('HTTP 401'), retryable: false });
      }),
    };
    const railyard: Railyard = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      notifiers: [notifier, refusing],
      retry,
    });
    const errors: unknown[] = [];
    railyard.events.on('error', (error) => errors.push(error));
    await railyard.environments.define({ id: 'design' });
    const bundle = await railyard.bundles.create({
      project: 'churn',
      version: '1.0.0',
      entries: [{ path: 'model.bin', content: 'weights' }],
      createdBy: designer,
    });
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    const sent = vi.mocked(refusing.notify).mock.calls.length;
    expect(sent).toBeGreaterThan(1);
    // The delivery that failed once was retried: every event reached the first notifier.
    await vi.waitFor(() => expect(delivered).toHaveLength(sent));
    expect(failures).toEqual([]);
    // The refused ones were not retried, and each was reported once.
    await vi.waitFor(() => expect(errors).toHaveLength(sent));
    expect(errors.every((error) => isRailyardError(error, 'ADAPTER') && !error.retryable)).toBe(true);
    expect(refusing.notify).toHaveBeenCalledTimes(sent);
  });
});
