import { memoryBlobStore, memoryStateStore } from '@railyard/core/adapters';
import { runBlobStoreConformance, runStateStoreConformance } from '@railyard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const framework = { describe, it, expect, beforeEach, afterEach };

runStateStoreConformance(framework, {
  name: 'memoryStateStore',
  capabilities: { watch: true, claim: false, journalHead: true, nonces: true },
  async create() {
    const store = memoryStateStore();
    return {
      store,
      probe: {
        readRecord: async (kind, id) => store.peek.record(kind, id),
        readJournal: async () => store.peek.journal(),
      },
    };
  },
});

runBlobStoreConformance(framework, {
  name: 'memoryBlobStore',
  async create() {
    const blobs = memoryBlobStore();
    return {
      blobs,
      probe: {
        readRaw: async (digest) => blobs.blobs.get(digest) ?? null,
        async corrupt(digest, bytes) {
          blobs.blobs.set(digest, bytes);
        },
      },
    };
  },
});
