import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBlobStore, openFileStateStore } from '@railyard/core/adapters';
import { runBlobStoreConformance, runStateStoreConformance } from '@railyard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileBlobProbe, fileStateProbe } from './file-store-probe.js';

const framework = { describe, it, expect, beforeEach, afterEach };
const tempDir = () => mkdtemp(join(tmpdir(), 'railyard-file-'));

runStateStoreConformance(framework, {
  name: 'fileStateStore',
  async create() {
    const dir = await tempDir();
    const store = await openFileStateStore({ dir });
    return { store, probe: fileStateProbe(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
});

runStateStoreConformance(framework, {
  name: 'fileStateStore (compacting after every 3 commits)',
  async create() {
    const dir = await tempDir();
    const store = await openFileStateStore({ dir, compactAfter: 3 });
    return { store, probe: fileStateProbe(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
});

runBlobStoreConformance(framework, {
  name: 'fileBlobStore',
  async create() {
    const dir = await tempDir();
    return { blobs: fileBlobStore({ dir }), probe: fileBlobProbe(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
});
