import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import type { BlobStore } from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import { describe, expect, it } from 'vitest';
import { collect, createSite, designer, operator, sha256 } from './archive-helpers.js';

/** Exports a bundle of `project` holding one file shared with the other bundle, and one of its own. */
async function archiveOf(project: string, own: string) {
  const site = await createSite();
  const bundle = await site.railyard.bundles.create({
    project,
    version: '1.0.0',
    createdBy: designer,
    entries: [
      { path: 'shared/model.bin', content: 'bytes both bundles hold' },
      { path: `own/${project}.txt`, content: own },
    ],
  });
  return { bundle, archive: await collect(await site.railyard.bundles.export(bundle.id)) };
}

describe('a failed archive import and a concurrent one sharing blobs', () => {
  it('never deletes a blob the other import found present and recorded', async () => {
    const good = await archiveOf('scoring', 'scoring only');
    const failing = await archiveOf('churn', 'churn only');
    const shared = sha256('bytes both bundles hold');

    // The target's blob store, observed: deletions wait until the good import is recorded, so that
    // an import that cleaned up after itself would remove a blob the good bundle relies on.
    const inner = memoryBlobStore();
    let goodRecorded: () => void = () => undefined;
    const recorded = new Promise<void>((resolve) => {
      goodRecorded = resolve;
    });
    const deleted: string[] = [];
    const blobs: BlobStore = {
      ...inner,
      async delete(digest) {
        await recorded;
        deleted.push(digest);
        await inner.delete(digest);
      },
    };
    const railyard = createRailyard({ store: memoryStateStore(), blobs, clock: createFakeClock() });
    // churn@1.0.0 already exists here with other content: importing the failing archive publishes
    // its blobs, then is refused with BUNDLE_CONFLICT when it records the manifest.
    await railyard.bundles.create({
      project: 'churn',
      version: '1.0.0',
      createdBy: designer,
      entries: [{ path: 'other.txt', content: 'other' }],
    });

    const failed = railyard.bundles.import(failing.archive, { by: operator });
    failed.catch(() => undefined);
    while (!(await inner.has(shared))) await new Promise((resolve) => setImmediate(resolve));
    // The good import finds the shared blob present, so it does not put it.
    const imported = await railyard.bundles.import(good.archive, { by: operator });
    goodRecorded();
    await expect(failed).rejects.toMatchObject({ code: 'BUNDLE_CONFLICT' });

    expect(imported.id).toBe(good.bundle.id);
    expect(deleted).toEqual([]);
    expect(await inner.has(shared)).toBe(true);
    expect(await railyard.bundles.verify(imported.id)).toMatchObject({ ok: true });
  });
});
