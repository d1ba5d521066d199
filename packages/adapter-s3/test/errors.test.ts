import { randomUUID } from 'node:crypto';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { s3BlobStore, s3Error } from '@railyard/adapter-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, MiB, rejection, sha } from './bytes.js';
import { keyFor, rawObjects, startTestS3, type TestS3, uniquePrefix } from './s3-server.js';

const local = !process.env.RAILYARD_TEST_S3_URL;

describe('s3BlobStore errors', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startTestS3();
  });
  afterAll(async () => {
    await s3?.dispose();
  });

  it('refuses every call on a missing bucket, not retryable, naming the bucket and what to check', async () => {
    const bucket = `railyard-missing-${randomUUID()}`;
    const blobs = s3BlobStore({ client: s3.client(), bucket });
    const digest = sha(bytesOf(1));
    for (const call of [
      () => blobs.check(),
      () => blobs.put(bytesOf(10)),
      () => blobs.get(digest),
      () => blobs.has(digest),
      () => blobs.stat(digest),
      () => blobs.delete(digest),
      async () => {
        for await (const _ of blobs.list()) break;
      },
    ]) {
      const error = await rejection(call());
      expect(error).toMatchObject({ code: 'ADAPTER', retryable: false, details: { s3Error: 'NoSuchBucket', bucket } });
      expect(error.message).toContain(`Bucket "${bucket}" does not exist`);
    }
  });

  it.skipIf(!local)('refuses wrong credentials, not retryable, pointing at credentials and IAM', async () => {
    const client = s3.client({ credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' } });
    const error = await rejection(s3BlobStore({ client, bucket: s3.bucket }).has(sha(bytesOf(1))));
    expect(error).toMatchObject({ code: 'ADAPTER', retryable: false });
    expect(error.message).toContain("check the S3Client's credentials");
    expect(error.message).toContain('s3:ListBucket');
  });
});

describe.skipIf(!local)('s3BlobStore when the server goes away', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startTestS3();
  });
  afterAll(async () => {
    await s3?.dispose();
  });

  it('fails an interrupted multipart upload with a retryable error and records no blob', async () => {
    // One attempt per request: the SDK's own retries would only add backoff before the same answer.
    const client = s3.client({ maxAttempts: 1 });
    const prefix = uniquePrefix();
    const blobs = s3BlobStore({ client, bucket: s3.bucket, prefix, partSize: 5 * MiB, queueSize: 1 });
    const bytes = bytesOf(12 * MiB);
    const firstPart = new Promise<void>((resolve) => {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await next(args);
          if (context.commandName === 'UploadPartCommand') resolve();
          return out;
        },
        { step: 'initialize', name: 'firstPartUploaded' },
      );
    });
    async function* source() {
      yield bytes.subarray(0, 6 * MiB);
      await firstPart; // the multipart upload is under way: stop the server in the middle of it
      await s3.stop();
      yield bytes.subarray(6 * MiB);
    }
    const error = await rejection(blobs.put(source(), { digest: sha(bytes), size: bytes.byteLength }));
    expect(error).toMatchObject({ code: 'ADAPTER', retryable: true });
    expect(error.message).toContain('could not be reached');

    const refused = await rejection(blobs.has(sha(bytes)));
    expect(refused).toMatchObject({ code: 'ADAPTER', retryable: true });

    await s3.restart();
    const fresh = s3.client();
    try {
      const after = s3BlobStore({ client: fresh, bucket: s3.bucket, prefix });
      expect(await after.has(sha(bytes))).toBe(false);
      expect(await rawObjects(fresh, s3.bucket).read(keyFor(prefix, sha(bytes)))).toBe(null);
      const listed = [];
      for await (const info of after.list()) listed.push(info);
      expect(listed).toEqual([]);
      // The same put succeeds once the server is back.
      expect(await after.put(bytes)).toEqual({ digest: sha(bytes), size: bytes.byteLength });
    } finally {
      fresh.destroy();
      client.destroy();
    }
  });
});

describe('s3Error', () => {
  const site = { operation: 'GetObject', bucket: 'acme', key: 'railyard/sha256/ab/ab…' };
  const sdk = (name: string, status: number) =>
    new S3ServiceException({
      name,
      $fault: status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: status },
      message: name,
    });
  const node = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });

  it.each([
    ['SlowDown (503)', sdk('SlowDown', 503), true, 'throttling'],
    ['TooManyRequests (429)', sdk('TooManyRequests', 429), true, 'throttling'],
    ['RequestTimeout (400)', sdk('RequestTimeout', 400), true, 'timed out'],
    ['TimeoutError', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), true, 'timed out'],
    ['InternalError (500)', sdk('InternalError', 500), true, 'failed on its side'],
    ['BadGateway (502)', sdk('BadGateway', 502), true, 'failed on its side'],
    ['ECONNREFUSED', node('ECONNREFUSED'), true, 'could not be reached'],
    ['ECONNRESET', node('ECONNRESET'), true, 'could not be reached'],
    ['AccessDenied (403)', sdk('AccessDenied', 403), false, 's3:GetObject'],
    ['NoSuchBucket (404)', sdk('NoSuchBucket', 404), false, 'does not exist'],
    ['PermanentRedirect (301)', sdk('PermanentRedirect', 301), false, "the bucket's region"],
    ['NotImplemented (501)', sdk('NotImplemented', 501), false, 'conditionalWrites: false'],
    ['InvalidArgument (400)', sdk('InvalidArgument', 400), false, 'docs/s3.md'],
  ])('classifies %s', (_, thrown, retryable, advice) => {
    const error = s3Error(thrown, site);
    expect(error).toMatchObject({ code: 'ADAPTER', retryable, cause: thrown });
    expect(error.message).toContain('s3://acme/railyard/sha256/ab/ab…');
    expect(error.message).toContain(advice);
  });
});
