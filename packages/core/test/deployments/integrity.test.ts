import { memoryBlobStore } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, promoteToProduction } from './fixtures.js';

describe('bundle integrity at promotion', () => {
  for (const [name, tamper] of [
    ['flipped', (bytes: Uint8Array) => Uint8Array.from(bytes, (b, i) => (i === 0 ? b ^ 1 : b))],
    ['truncated', (bytes: Uint8Array) => bytes.subarray(0, bytes.length - 1)],
    ['extended', (bytes: Uint8Array) => Uint8Array.from([...bytes, 0])],
  ] as const) {
    it(`fails a deployment whose blob was ${name} behind the store's back, leaving production unchanged`, async () => {
      const blobs = memoryBlobStore();
      const world = await createWorld({ blobs });
      const { railyard } = world;
      await promoteToProduction(world, '1.0.0');
      await bake(world);
      const before = await railyard.environments.get('production');
      const { bundle, deployment } = await promoteToProduction(world, '1.1.0');
      const weights = bundle.manifest.entries.find((e) => e.path === 'model/weights.bin')!;
      blobs.blobs.set(weights.digest, tamper(blobs.blobs.get(weights.digest)!));
      await bake(world);
      expect(await railyard.deployment(deployment.id)).toMatchObject({
        status: 'failed',
        failure: { code: 'integrity', reason: expect.stringContaining('model/weights.bin') },
      });
      const after = await railyard.environments.get('production');
      expect(after?.active).toEqual(before?.active);
    });
  }

  it('halts the environment when an automatic rollback cannot restore a tampered bundle', async () => {
    const blobs = memoryBlobStore();
    const world = await createWorld({ blobs });
    const { railyard, health } = world;
    const first = await promoteToProduction(world, '1.0.0');
    await bake(world);
    health.erroring.add('1.1.0');
    const second = await promoteToProduction(world, '1.1.0');
    const weights = first.bundle.manifest.entries.find((e) => e.path === 'model/weights.bin')!;
    blobs.blobs.set(weights.digest, new TextEncoder().encode('poisoned'));
    await bake(world);
    expect(await railyard.deployment(second.deployment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'rollback-failed' },
    });
    expect(await railyard.environments.get('production')).toMatchObject({ status: 'halted' });
  });
});
