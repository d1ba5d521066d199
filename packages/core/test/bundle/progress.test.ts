import { randomBytes } from 'node:crypto';
import {
  createRailyard,
  memoryBlobStore,
  memoryStateStore,
  memoryTransport,
  type Progress,
  type PushProgress,
} from '@railyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, operator } from './archive-helpers.js';
import { writeProject } from './project-fixture.js';

const designer = { id: 'designer', roles: ['dev'] };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// Two files larger than one read chunk, so reports arrive mid-file; one small, one duplicate content.
const big = randomBytes((1 << 20) + 12_345);
const files = { 'a.bin': big, 'b.bin': randomBytes(3 << 20), 'c.txt': 'small', 'd.bin': big };
const descriptor = { project: 'progress', requirements: { variables: [], connections: [], stepTypes: [] } };

function site() {
  return createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
}

async function built(railyard = site(), onProgress?: (progress: Progress) => void) {
  const project = await writeProject(files, descriptor);
  cleanups.push(project.cleanup);
  return railyard.bundles.build({
    dir: project.dir,
    version: '1.0.0',
    createdBy: designer,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** Checks what every consumer relies on: nothing goes down, nothing passes the total, the last report is the total. */
function expectMonotonicToTotal(reports: Progress[], totals: { filesTotal: number; bytesTotal: number }) {
  expect(reports.length).toBeGreaterThan(2);
  for (const [index, report] of reports.entries()) {
    expect(report.filesTotal).toBe(totals.filesTotal);
    expect(report.bytesTotal).toBe(totals.bytesTotal);
    expect(report.bytesDone).toBeLessThanOrEqual(report.bytesTotal);
    expect(report.filesDone).toBeLessThanOrEqual(report.filesTotal);
    const previous = reports[index - 1];
    if (previous) {
      expect(report.bytesDone).toBeGreaterThanOrEqual(previous.bytesDone);
      expect(report.filesDone).toBeGreaterThanOrEqual(previous.filesDone);
    }
  }
  expect(reports.at(-1)).toEqual({ ...totals, filesDone: totals.filesTotal, bytesDone: totals.bytesTotal });
  // Bytes were reported while the work went on, not only at the end.
  expect(reports.some((report) => report.bytesDone > 0 && report.bytesDone < report.bytesTotal)).toBe(true);
}

describe('onProgress', () => {
  it('bundles.build reports files and bytes read against the project totals', async () => {
    const reports: Progress[] = [];
    const bundle = await built(site(), (progress) => reports.push(progress));
    const bytesTotal = bundle.manifest.entries.reduce((sum, entry) => sum + entry.size, 0);
    expectMonotonicToTotal(reports, { filesTotal: 4, bytesTotal });
  });

  it('bundles.build refuses an onProgress that is not a function, storing nothing', async () => {
    const railyard = site();
    const project = await writeProject(files, descriptor);
    cleanups.push(project.cleanup);
    const input = { dir: project.dir, version: '1.0.0', createdBy: designer, onProgress: 'yes' } as never;
    await expect(railyard.bundles.build(input)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await railyard.bundles.list()).toEqual([]);
  });

  it('a throwing callback does not break the work', async () => {
    const bundle = await built(site(), () => {
      throw new Error('display broke');
    });
    expect(bundle.manifest.entries).toHaveLength(4);
  });

  it('bundles.export and bundles.import report the distinct blobs and their bytes', async () => {
    const source = site();
    const bundle = await built(source);
    const distinct = new Map(bundle.manifest.entries.map((entry) => [entry.digest, entry.size]));
    const totals = { filesTotal: distinct.size, bytesTotal: [...distinct.values()].reduce((a, b) => a + b, 0) };
    expect(totals.filesTotal).toBe(3);

    const exported: Progress[] = [];
    const archive = await collect(await source.bundles.export(bundle.id, { onProgress: (p) => exported.push(p) }));
    expectMonotonicToTotal(exported, totals);

    const imported: Progress[] = [];
    const target = site();
    const chunks = (async function* () {
      for (let offset = 0; offset < archive.length; offset += 64 << 10)
        yield archive.subarray(offset, offset + (64 << 10));
    })();
    const record = await target.bundles.import(chunks, { by: operator, onProgress: (p) => imported.push(p) });
    expect(record.id).toBe(bundle.id);
    expectMonotonicToTotal(imported, totals);
  });

  it('memoryTransport reports each pushed blob up to its size', async () => {
    const production = site();
    await production.environments.define({
      id: 'production',
      policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
    });
    const pushes: PushProgress[] = [];
    const design = createRailyard({
      store: memoryStateStore(),
      blobs: memoryBlobStore(),
      transport: memoryTransport(production, { onProgress: (p) => pushes.push(p) }),
    });
    await design.environments.define({ id: 'production', remote: true });
    const bundle = await built(design);
    await design.promote({ bundle: bundle.id, to: 'production', by: designer });
    const distinct = new Map(bundle.manifest.entries.map((entry) => [entry.digest, entry.size]));
    const byBlob = new Map<string, PushProgress[]>();
    for (const push of pushes) byBlob.set(push.digest, [...(byBlob.get(push.digest) ?? []), push]);
    expect(new Set(byBlob.keys())).toEqual(new Set(distinct.keys()));
    for (const [digest, reports] of byBlob) {
      const sizes = reports.map((report) => report.bytesDone);
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
      expect(reports.at(-1)).toEqual({ digest, bytesDone: distinct.get(digest), bytesTotal: distinct.get(digest) });
    }
  });

  it('bundles.push sends only the blobs the other site lacks, reporting them, and promotes nothing', async () => {
    const production = site();
    await production.environments.define({
      id: 'production',
      policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
    });
    const design = site();
    const bundle = await built(design);
    const transport = memoryTransport(production);
    const distinct = new Map(bundle.manifest.entries.map((entry) => [entry.digest, entry.size]));
    const totals = { filesTotal: distinct.size, bytesTotal: [...distinct.values()].reduce((a, b) => a + b, 0) };

    const reports: Progress[] = [];
    const first = await design.bundles.push(bundle.id, { transport, onProgress: (p) => reports.push(p) });
    expect(first).toEqual({
      bundleId: bundle.id,
      blobsSent: 3,
      blobsPresent: 0,
      bytesSent: totals.bytesTotal,
      signaturesSent: 0,
    });
    expect(reports.at(-1)).toEqual({ ...totals, filesDone: totals.filesTotal, bytesDone: totals.bytesTotal });
    expect(reports.map((r) => r.bytesDone)).toEqual(reports.map((r) => r.bytesDone).sort((a, b) => a - b));
    expect((await production.bundles.get(bundle.id))?.manifest).toEqual(bundle.manifest);
    expect(await production.deployments.history('production')).toEqual([]);

    const again = await design.bundles.push(bundle.id, { transport });
    expect(again).toMatchObject({ blobsSent: 0, blobsPresent: 3, bytesSent: 0 });
    await expect(design.bundles.push('sha256:nope', { transport })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
