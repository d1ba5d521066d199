import { SettleLimitError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { createBundle, createWorld, designer } from './fixtures.js';

describe('the background worker', () => {
  it('drives deployments on its own, waking on commits and on the clock, and stops cleanly', async () => {
    const world = await createWorld();
    const { railyard, clock } = world;
    railyard.start();
    railyard.start(); // idempotent
    const bundle = await createBundle(railyard, '1.0.0');
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    const active = new Promise<void>((resolve) => {
      railyard.events.on('deployment.transition', ({ deployment: d, to }) => {
        if (d.id === deployment.id && to === 'active') resolve();
      });
    });
    // The worker sleeps on the fake clock between passes; moving the clock wakes it.
    while ((await railyard.deployment(deployment.id))?.status !== 'active') {
      await clock.advance(1_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await active;
    await railyard.stop();
    expect(clock.pending()).toBe(0);
  });
});

describe('settle', () => {
  it('throws a SettleLimitError, saying what to do, when work still progresses after maxSteps passes', async () => {
    const { railyard } = await createWorld();
    const bundle = await createBundle(railyard, '1.0.0');
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    const error = await railyard.settle({ maxSteps: 1 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SettleLimitError);
    expect(error).toMatchObject({ code: 'SETTLE_LIMIT', details: { maxSteps: 1 } });
    expect((error as Error).message).toContain('railyard.journal');
    await railyard.settle();
  });
});
