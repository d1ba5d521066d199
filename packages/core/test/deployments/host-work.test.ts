import type { Deployment, Railyard } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import {
  bake,
  createBundle,
  createWorld,
  designer,
  operator,
  promoteToProduction,
  requester,
  type World,
} from './fixtures.js';

/** A world whose activation hook blocks forever (ignoring its signal) for design 2.0.0. */
async function blockedDesign() {
  const blocked: AbortSignal[] = [];
  const world = await createWorld({
    activate: ({ deployment, signal }) => {
      if (deployment.environment !== 'design' || deployment.version !== '2.0.0') return;
      blocked.push(signal);
      return new Promise<void>(() => undefined);
    },
  });
  const first = await promoteToProduction(world, '1.0.0');
  await bake(world);
  const second = await promoteToProduction(world, '1.1.0');
  const stuck = await world.railyard.promote({
    bundle: (await createBundle(world.railyard, '2.0.0')).id,
    to: 'design',
    by: designer,
  });
  return { world, blocked, first, second, stuck };
}

const statusOf = async (railyard: Railyard, id: string) => (await railyard.deployment(id))?.status;

/** Drives without waiting for host code: one settle, then the clock in one-minute steps. */
async function driveWithoutHostCode(world: World, until: () => Promise<boolean>): Promise<void> {
  for (let minute = 0; minute < 30 && !(await until()); minute++) {
    await world.railyard.settle({ waitForHostCode: false });
    if (await until()) return;
    await world.clock.advance(60_000);
  }
}

describe('host code never delays another environment', () => {
  it('production goes active and a rollback completes while design is blocked in its activation hook (settle)', async () => {
    const { world, blocked, first, second, stuck } = await blockedDesign();
    const { railyard } = world;
    await driveWithoutHostCode(world, async () => (await statusOf(railyard, second.deployment.id)) === 'active');
    expect(await statusOf(railyard, second.deployment.id)).toBe('active');
    expect(blocked).toHaveLength(1);
    expect(await railyard.deployment(stuck.id)).toMatchObject({
      status: 'activating',
      hook: { deadlineAt: expect.any(String) },
    });

    const rollback = await railyard.rollback('production', {
      by: operator,
      reason: 'revert 1.1',
      to: first.deployment.id,
    });
    await driveWithoutHostCode(world, async () => (await statusOf(railyard, rollback.id)) === 'active');
    expect(await railyard.deployment(rollback.id)).toMatchObject({ status: 'active', snapshot: { version: '1.0.0' } });
    expect(await statusOf(railyard, second.deployment.id)).toBe('rolled_back');
    // Design is still waiting for its hook, which was never run twice.
    expect(await statusOf(railyard, stuck.id)).toBe('activating');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]?.aborted).toBe(false);
  });

  it('the background worker does the same, and stop() does not wait for a hook that ignores its signal', async () => {
    const { world, blocked, first, second, stuck } = await blockedDesign();
    const { railyard, clock } = world;
    const reached = (id: string, to: Deployment['status']) =>
      new Promise<void>((resolve) => {
        railyard.events.on('deployment.transition', ({ deployment, to: status }) => {
          if (deployment.id === id && status === to) resolve();
        });
      });
    const tick = async (done: { value: boolean }) => {
      while (!done.value) {
        await clock.advance(10_000);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    railyard.start();
    const active = { value: false };
    const activeReached = reached(second.deployment.id, 'active').then(() => {
      active.value = true;
    });
    await Promise.all([activeReached, tick(active)]);
    expect(blocked).toHaveLength(1);

    const rollback = await railyard.rollback('production', {
      by: operator,
      reason: 'revert 1.1',
      to: first.deployment.id,
    });
    const restored = { value: false };
    const restoredReached = reached(rollback.id, 'active').then(() => {
      restored.value = true;
    });
    await Promise.all([restoredReached, tick(restored)]);
    expect(await railyard.deployment(rollback.id)).toMatchObject({ snapshot: { version: '1.0.0' } });

    await railyard.stop(); // returns although the hook never settles
    expect(blocked[0]?.aborted).toBe(true);
    // The hook's claim was handed back: another engine may run it at once.
    const record = await railyard.deployment(stuck.id);
    expect(record).toMatchObject({ status: 'activating' });
    const hook = record?.status === 'activating' ? record.hook : undefined;
    expect(hook?.leaseUntil).toBe(clock.now().toISOString());
  });
});

describe('host code deadlines', () => {
  it('a probe that never answers times out when the clock passes its timeout, and reads inconclusive', async () => {
    const probed: AbortSignal[] = [];
    const world = await createWorld({
      probes: {
        'error-rate': ({ signal }) => {
          probed.push(signal);
          return new Promise(() => undefined);
        },
      },
    });
    const { railyard, clock } = world;
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await railyard.settle({ waitForHostCode: false });
    const verifying = await railyard.deployment(deployment.id);
    expect(verifying).toMatchObject({
      status: 'verifying',
      verification: { monitors: { 'error-rate': { status: 'unknown', probe: { owner: expect.any(String) } } } },
    });
    expect(probed).toHaveLength(1);
    await clock.advance(60_000);
    await railyard.settle({ waitForHostCode: false });
    expect(probed[0]?.aborted).toBe(true);
    const after = await railyard.deployment(deployment.id);
    const monitor = after?.status === 'verifying' ? after.verification.monitors['error-rate'] : undefined;
    expect(monitor).toMatchObject({
      lastResult: 'inconclusive',
      detail: 'probe did not answer within 60000 ms',
      lastAt: '2026-03-02T09:00:00.000Z',
    });
    // The next reading is due and claimed again.
    expect(probed).toHaveLength(2);
  });

  it('an activation hook that never resolves fails the deployment at the activating deadline', async () => {
    const hooked: AbortSignal[] = [];
    const world = await createWorld({
      activate: ({ deployment, signal }) => {
        if (deployment.environment !== 'production') return;
        hooked.push(signal);
        return new Promise<void>(() => undefined);
      },
    });
    const { railyard, clock } = world;
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await railyard.settle({ waitForHostCode: false });
    const activating = await railyard.deployment(deployment.id);
    expect(activating?.status).toBe('activating');
    const deadline = activating?.status === 'activating' ? Date.parse(activating.deadlineAt) : 0;
    await clock.advance(deadline - clock.now().getTime() - 1);
    await railyard.settle({ waitForHostCode: false });
    expect(await statusOf(railyard, deployment.id)).toBe('activating');
    await clock.advance(1);
    await railyard.settle({ waitForHostCode: false });
    expect(await railyard.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'activation-failed', reason: expect.stringContaining('deadline') },
    });
    expect(hooked).toHaveLength(1);
    expect(hooked[0]?.aborted).toBe(true);
    expect((await railyard.environments.get('production'))?.active).toBeNull();
  });

  it('abandoning a deployment lets go of its running hook: settle() does not wait for it', async () => {
    const hooked: AbortSignal[] = [];
    const world = await createWorld({
      activate: ({ deployment, signal }) => {
        if (deployment.environment !== 'production') return;
        hooked.push(signal);
        return new Promise<void>(() => undefined);
      },
    });
    const { railyard } = world;
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await railyard.settle({ waitForHostCode: false });
    expect(await statusOf(railyard, deployment.id)).toBe('activating');
    await railyard.abandon(deployment.id, { by: operator, reason: 'hook hangs' });
    await railyard.settle(); // would wait forever for the hook if it were still wanted
    expect(hooked[0]?.aborted).toBe(true);
    expect(await statusOf(railyard, deployment.id)).toBe('failed');
  });

  it('runs at most hostConcurrency pieces of host code at once; the others wait for a slot', async () => {
    const running = new Set<string>();
    let most = 0;
    const release: Array<() => void> = [];
    const world = await createWorld({
      hostConcurrency: 2,
      activate: ({ deployment }) =>
        new Promise<void>((resolve) => {
          running.add(deployment.environment);
          most = Math.max(most, running.size);
          release.push(() => {
            running.delete(deployment.environment);
            resolve();
          });
        }),
    });
    const { railyard } = world;
    for (const id of ['qa', 'staging', 'perf'])
      await railyard.environments.define({
        id,
        policy: { allowDowngrade: true },
        variables: { REGION: 'x' },
        connections: { warehouse: 'w' },
      });
    const bundle = await createBundle(railyard, '1.0.0');
    const ids: string[] = [];
    for (const to of ['design', 'qa', 'staging', 'perf'])
      ids.push((await railyard.promote({ bundle: bundle.id, to, by: requester })).id);
    await railyard.settle({ waitForHostCode: false });
    expect(running.size).toBe(2);
    // Every hook is claimed; two wait for a slot.
    for (const id of ids) expect(await statusOf(railyard, id)).toBe('activating');
    for (let round = 0; round < 10 && running.size > 0; round++) {
      release.shift()?.();
      await railyard.settle({ waitForHostCode: false });
    }
    expect(most).toBe(2);
    for (const id of ids) expect(await statusOf(railyard, id)).toBe('active');
  });
});
