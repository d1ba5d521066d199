import { s3BlobStore } from '@railyard/adapter-s3';
import { createRailyard, memoryStateStore, type Railyard } from '@railyard/core';
import { createFakeClock, type FakeClock } from '@railyard/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf } from './bytes.js';
import { keyFor, rawObjects, startTestS3, type TestS3, uniquePrefix } from './s3-server.js';

const dev = { id: 'designer', roles: ['dev'] };

describe('a Railyard site keeping its bundle bytes in S3', () => {
  let s3: TestS3;
  let prefix: string;
  let client: ReturnType<TestS3['client']>;
  let railyard: Railyard;
  let clock: FakeClock;

  beforeAll(async () => {
    s3 = await startTestS3();
  });
  afterAll(async () => {
    await s3?.dispose();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    client = s3.client();
    clock = createFakeClock('2026-03-02T09:00:00.000Z');
    railyard = createRailyard({
      store: memoryStateStore(),
      blobs: s3BlobStore({ client, bucket: s3.bucket, prefix }),
      clock,
    });
    await railyard.environments.define({ id: 'production' });
  });
  afterEach(async () => {
    await railyard.close();
    await rawObjects(client, s3.bucket).clear(prefix);
    client.destroy();
  });

  const ship = async (version: string, weights: Uint8Array<ArrayBuffer>) => {
    const bundle = await railyard.bundles.create({
      project: 'churn',
      version,
      entries: [
        { path: 'model/weights.bin', content: weights },
        { path: 'pipelines/score.sql', content: 'select 1' },
      ],
      createdBy: dev,
    });
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: dev });
    return { bundle, deployment };
  };

  it('stores bundle blobs as objects and activates the bundle', async () => {
    const { bundle, deployment } = await ship('1.0.0', bytesOf(100_000));
    await railyard.settle();
    expect(await railyard.deployment(deployment.id)).toMatchObject({ status: 'active' });
    const keys = await rawObjects(client, s3.bucket).keys(prefix);
    expect(keys.sort()).toEqual(bundle.manifest.entries.map((e) => keyFor(prefix, e.digest)).sort());
  });

  const tamper = async (bundle: { manifest: { entries: { path: string; digest: string }[] } }) => {
    const weights = bundle.manifest.entries.find((e) => e.path === 'model/weights.bin')!;
    await rawObjects(client, s3.bucket).write(keyFor(prefix, weights.digest), bytesOf(100_000));
  };

  it('never activates a bundle whose blob was changed in the bucket, and leaves production as it was', async () => {
    const first = await ship('1.0.0', bytesOf(100_000));
    await railyard.settle();
    const before = await railyard.environments.get('production');
    const { bundle, deployment } = await ship('1.1.0', bytesOf(100_000));
    await tamper(bundle);
    // The verified read refuses the altered bytes while preflight streams them. Until the core
    // turns that refusal into a preflight failure, the deployment fails at its preflight deadline.
    const refused = await railyard.settle().then(
      () => null,
      (error: unknown) => error,
    );
    if (refused !== null) expect(refused).toMatchObject({ code: 'BLOB_INTEGRITY' });
    await clock.advance(60 * 60_000);
    await railyard.settle();
    expect(await railyard.deployment(deployment.id)).toMatchObject({ status: 'failed' });
    expect((await railyard.environments.get('production'))?.active).toEqual(before?.active);
    expect(before?.active).toMatchObject({ deploymentId: first.deployment.id });
  });

  it('fails the promotion in preflight when the store hands the bytes over unverified', async () => {
    await railyard.close();
    railyard = createRailyard({
      store: memoryStateStore(),
      blobs: s3BlobStore({ client, bucket: s3.bucket, prefix, verifyReads: false }),
      clock,
    });
    await railyard.environments.define({ id: 'production' });
    const { bundle, deployment } = await ship('1.0.0', bytesOf(100_000));
    await tamper(bundle);
    await railyard.settle();
    expect(await railyard.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'integrity', reason: expect.stringContaining('model/weights.bin') },
    });
    expect((await railyard.environments.get('production'))?.active ?? null).toBe(null);
  });
});
