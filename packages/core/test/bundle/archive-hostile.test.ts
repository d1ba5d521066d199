import { ArchiveError, type RailyardError } from '@railyard/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentCases, type Design, entryCases, type HostileCase } from './archive-corpus.js';
import { createSite, designBundle, designer, packParts, readParts, snapshot } from './archive-helpers.js';

// The corpus is built from one valid export, made once; each case builds its archive from it.
let design: Design;
const get = () => design;
beforeAll(async () => {
  design = await designBundle();
});

async function expectRefused(test: HostileCase, kind: 'memory' | 'file' = 'memory'): Promise<void> {
  const archive = await test.archive();
  const target = await createSite(kind);
  await target.railyard.bundles.create({
    project: 'other',
    version: '1.0.0',
    createdBy: designer,
    entries: [{ path: 'a', content: 'a' }],
  });
  const before = await snapshot(target);
  const error = await target.import(archive, test.limits ? { limits: test.limits } : {}).then(
    () => null,
    (e: unknown) => e as RailyardError,
  );
  expect(error).toBeInstanceOf(test.error);
  if (test.reason) expect(error?.details.reason).toBe(test.reason);
  expect(error?.message.length).toBeGreaterThan(40);
  expect(await snapshot(target)).toEqual(before);
}

const onFiles = [
  'a symlink entry in place of a blob',
  'a blob absent from the manifest',
  'a digest mismatch',
  'a truncated archive',
];

describe('hostile archives', () => {
  it.each(entryCases(get))('refuses $name; the stores are unchanged', (test) => expectRefused(test));

  it.each(contentCases(get))('refuses $name; the stores are unchanged', (test) => expectRefused(test));

  it.each([...entryCases(get), ...contentCases(get)].filter((c) => onFiles.includes(c.name)))(
    'refuses $name on a file blob store too',
    (test) => expectRefused(test, 'file'),
  );

  it('refuses a signature moved from another bundle', async () => {
    const other = await designBundle(design.release, '2.0.0');
    const moved = (await readParts(other.archive)).find((p) => p.name === 'signatures/release.json')!;
    await expectRefused({
      name: 'moved signature',
      reason: 'signature-invalid',
      error: ArchiveError,
      archive: () => packParts(design.parts.map((p) => (p.name === moved.name ? moved : p))),
    });
  });

  it('still imports the untouched archive (the corpus is built from it)', async () => {
    const target = await createSite();
    expect((await target.import(await packParts(design.parts))).id).toBe(design.bundle.id);
  });

  it('refuses a same-version bundle with other content already on the site, changing nothing but the blobs it published', async () => {
    const target = await createSite();
    await target.railyard.bundles.create({
      project: 'churn',
      version: '1.0.0',
      createdBy: designer,
      entries: [{ path: 'a', content: 'a' }],
    });
    const before = await snapshot(target);
    await expect(target.import(design.archive)).rejects.toMatchObject({ code: 'BUNDLE_CONFLICT' });
    // Published blobs stay (another import may rely on one: archive-concurrent-failure.test.ts).
    const after = await snapshot(target);
    expect({ ...after, blobs: before.blobs }).toEqual(before);
    const archived = [...new Set(design.bundle.manifest.entries.map((e) => e.digest))];
    expect(after.blobs).toEqual(expect.arrayContaining(before.blobs));
    expect(after.blobs.length).toBe(before.blobs.length + archived.length);
  });
});
