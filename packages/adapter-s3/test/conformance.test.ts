import { s3BlobStore } from '@railyard/adapter-s3';
import { runBlobStoreConformance } from '@railyard/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyFor, rawObjects, startTestS3, type TestS3, uniquePrefix } from './s3-server.js';

const framework = { describe, it, expect, beforeEach, afterEach };
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.dispose();
});

runBlobStoreConformance(framework, {
  name: 's3BlobStore',
  async create() {
    const client = s3.client();
    const prefix = uniquePrefix();
    const raw = rawObjects(client, s3.bucket);
    return {
      blobs: s3BlobStore({ client, bucket: s3.bucket, prefix }),
      // Reads and corrupts objects with the S3 client, at the documented key layout.
      probe: {
        readRaw: (digest) => raw.read(keyFor(prefix, digest)),
        corrupt: (digest, bytes) => raw.write(keyFor(prefix, digest), bytes),
      },
      async cleanup() {
        await raw.clear(prefix);
        client.destroy();
      },
    };
  },
});
