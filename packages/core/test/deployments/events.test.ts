import type { Notification } from '@railyard/core/adapters';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, promoteToProduction } from './fixtures.js';

describe('events', () => {
  it('emits each transition after it is committed; a throwing listener never stops the others', async () => {
    const notified: Notification[] = [];
    const world = await createWorld({ notifiers: [{ notify: async (n) => void notified.push(n) }] });
    const { railyard, store } = world;
    const seen: string[] = [];
    const errors: unknown[] = [];
    railyard.events.on('deployment.transition', () => {
      throw new Error('listener bug');
    });
    railyard.events.on('deployment.transition', async ({ deployment, to }) => {
      const stored = await store.get('deployment', deployment.id);
      const status = (stored?.value as { status?: string } | undefined)?.status;
      seen.push(`${to}:${status === to}`);
    });
    railyard.events.on('error', (error) => errors.push(error));
    const off = railyard.events.on('environment.status', () => seen.push('status'));
    off();
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    expect(seen).toContain('active:true');
    expect(seen).not.toContain('status');
    expect(errors.length).toBeGreaterThan(0);
    expect(notified.some((n) => n.type === 'deployment.transition' && n.payload.deployment.id === deployment.id)).toBe(
      true,
    );
  });
});
