import { memoryBlobStore } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, operator, promoteToProduction } from './fixtures.js';

const day = 24 * 3_600_000;

describe('bundles.gc', () => {
  it('keeps the active bundle and the previous N per environment, and removes the rest with unshared blobs', async () => {
    const blobs = memoryBlobStore();
    const world = await createWorld({ blobs });
    const { railyard, clock } = world;
    const versions = ['1.0.0', '1.1.0', '1.2.0', '1.3.0'];
    const bundles = [];
    for (const version of versions) {
      bundles.push((await promoteToProduction(world, version)).bundle);
      await bake(world);
    }
    await clock.advance(2 * day);
    const dry = await railyard.bundles.gc({ keep: 1, by: operator, dryRun: true });
    expect(dry.removedBundles.sort()).toEqual([bundles[0]!.id, bundles[1]!.id].sort());
    expect(await railyard.bundles.get(bundles[0]!.id)).not.toBeNull();
    const result = await railyard.bundles.gc({ keep: 1, by: operator });
    expect(result).toEqual({ ...dry, keptBundles: 2 });
    expect(await railyard.bundles.get(bundles[0]!.id)).toBeNull();
    expect(await railyard.bundles.get(bundles[2]!.id)).not.toBeNull();
    // 'pipelines/score.sql' is shared by every version: its blob stays.
    const shared = bundles[0]!.manifest.entries.find((e) => e.path === 'pipelines/score.sql')!.digest;
    expect(result.removedBlobs).not.toContain(shared);
    expect(blobs.blobs.has(shared)).toBe(true);
    for (const digest of result.removedBlobs) expect(blobs.blobs.has(digest)).toBe(false);
    expect(await railyard.bundles.verify(bundles[3]!.id)).toMatchObject({ ok: true });
    expect(await railyard.journal.verify()).toMatchObject({ ok: true });
  });

  it('keeps recent bundles that were never promoted', async () => {
    const world = await createWorld();
    const { bundle } = await promoteToProduction(world, '1.0.0');
    expect((await world.railyard.bundles.gc({ keep: 0, by: operator })).removedBundles).not.toContain(bundle.id);
  });
});
