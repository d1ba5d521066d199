import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpTransport } from '@railyard/adapter-http';
import { createRailyard, fileBlobStore, memoryStateStore, type PushProgress } from '@railyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE, designer, type ProductionSite, SECRETS, startProduction } from './helpers.js';

let site: ProductionSite | undefined;
let dir: string | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('httpTransport onProgress', () => {
  it('reports the bytes of each pushed blob, never going down, ending at its size; present blobs are not reported', async () => {
    site = await startProduction();
    // A file store streams a blob in chunks, as a real design site does.
    dir = await mkdtemp(join(tmpdir(), 'railyard-push-progress-'));
    const pushes: PushProgress[] = [];
    const design = createRailyard({
      store: memoryStateStore(),
      blobs: fileBlobStore({ dir }),
      clock: site.clock,
      transport: httpTransport({
        url: site.url,
        keyId: 'design',
        secret: SECRETS.design,
        audience: AUDIENCE,
        clock: site.clock,
        onProgress: (progress) => pushes.push(progress),
      }),
      remotePollMs: 0,
    });
    await design.environments.define({ id: 'production', remote: true });
    const large = randomBytes(2 << 20);
    const entries = [
      { path: 'models/churn.bin', content: large },
      { path: 'pipelines/score.sql', content: 'select 1' },
    ];
    const first = await design.bundles.create({ project: 'churn', version: '1.0.0', entries, createdBy: designer });
    await design.promote({ bundle: first.id, to: 'production', by: designer });

    const sizes = new Map(first.manifest.entries.map((entry) => [entry.digest, entry.size]));
    for (const [digest, size] of sizes) {
      const reports = pushes.filter((push) => push.digest === digest).map((push) => push.bytesDone);
      expect(reports).toEqual([...reports].sort((a, b) => a - b));
      expect(reports.at(-1)).toBe(size);
      expect(pushes.filter((push) => push.digest === digest).every((push) => push.bytesTotal === size)).toBe(true);
    }
    const largeDigest = first.manifest.entries[0]?.digest as string;
    expect(pushes.filter((push) => push.digest === largeDigest).length).toBeGreaterThan(2);

    // A second version sharing the large blob pushes only the new one.
    pushes.length = 0;
    const second = await design.bundles.create({
      project: 'churn',
      version: '1.1.0',
      entries: [entries[0] as (typeof entries)[0], { path: 'pipelines/score.sql', content: 'select 2' }],
      createdBy: designer,
    });
    await design.promote({ bundle: second.id, to: 'production', by: designer }).catch(() => undefined);
    expect(pushes.some((push) => push.digest === largeDigest)).toBe(false);
    expect(pushes.at(-1)).toMatchObject({ digest: second.manifest.entries[1]?.digest, bytesDone: 8, bytesTotal: 8 });
  });
});
