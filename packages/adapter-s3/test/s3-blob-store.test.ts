import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type S3BlobStoreOptions, s3BlobKey, s3BlobStore } from '@railyard/adapter-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, chunked, MiB, readAll, rejection, sha } from './bytes.js';
import { appendToUploads, commands, recordRequests, type SentRequest } from './requests.js';
import { keyFor, rawObjects, startTestS3, type TestS3, uniquePrefix } from './s3-server.js';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.dispose();
});

describe('s3BlobStore', () => {
  let prefix: string;
  let client: ReturnType<TestS3['client']>;
  let raw: ReturnType<typeof rawObjects>;
  let sent: SentRequest[];
  const store = (options: Partial<S3BlobStoreOptions> = {}) =>
    s3BlobStore({ client, bucket: s3.bucket, prefix, ...options });

  beforeEach(() => {
    prefix = uniquePrefix();
    client = s3.client();
    raw = rawObjects(client, s3.bucket);
    sent = recordRequests(client);
  });
  afterEach(async () => {
    await raw.clear(prefix);
    client.destroy();
  });

  it('refuses bad options and malformed digests with a ValidationError, before any request', async () => {
    for (const options of [
      { partSize: MiB },
      { queueSize: 0 },
      { prefix: 'a/../b' },
      { prefix: 'a//b' },
      { bucket: '' },
    ]) {
      expect(() => store(options)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
    expect(() => s3BlobKey('sha256:ABC')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect((await rejection(store().put(bytesOf(1), { size: -1 }))).code).toBe('VALIDATION');
    expect(sent).toEqual([]);
  });

  it('keeps each blob at <prefix>/sha256/<ab>/<hex>, and nothing else', async () => {
    const blobs = store({ prefix: `/${prefix}/` });
    const bytes = bytesOf(1000);
    const { digest } = await blobs.put(bytes);
    expect(blobs.prefix).toBe(prefix);
    expect(blobs.keyOf(digest)).toBe(keyFor(prefix, digest));
    expect(s3BlobKey(digest, prefix)).toBe(keyFor(prefix, digest));
    expect(await raw.keys(prefix)).toEqual([keyFor(prefix, digest)]);
    expect(Buffer.from((await raw.read(keyFor(prefix, digest))) ?? [])).toEqual(Buffer.from(bytes));
  });

  it('lists every blob with its size, ignoring other objects under the prefix', async () => {
    const blobs = store();
    const infos = [await blobs.put(bytesOf(10)), await blobs.put(bytesOf(2000)), await blobs.put(new Uint8Array(0))];
    await raw.write(`${prefix}/notes.txt`, bytesOf(3));
    await raw.write(`${prefix}/sha256/zz/${'a'.repeat(64)}`, bytesOf(3));
    const listed = [];
    for await (const info of blobs.list()) listed.push(info);
    expect(listed).toEqual([...infos].sort((a, b) => a.digest.localeCompare(b.digest)));
  });

  it('sends a blob larger than the part size as a multipart upload, completed after its digest is checked', async () => {
    const blobs = store({ partSize: 5 * MiB });
    const bytes = bytesOf(11 * MiB + 123);
    const info = await blobs.put(chunked(bytes, 256 * 1024), { digest: sha(bytes), size: bytes.byteLength });
    expect(info).toEqual({ digest: sha(bytes), size: bytes.byteLength });
    const uploads = commands(sent).filter((c) => c !== 'HeadObject' && c !== 'ListObjectsV2');
    expect(uploads).toEqual([
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
      'CompleteMultipartUpload',
    ]);
    expect(sent.find((r) => r.command === 'CompleteMultipartUploadCommand')?.headers['if-none-match']).toBe('*');
    expect(sha((await raw.read(keyFor(prefix, info.digest))) ?? new Uint8Array())).toBe(info.digest);
    expect(sha((await readAll(await blobs.get(info.digest))) ?? new Uint8Array())).toBe(info.digest);
  });

  it('aborts a multipart upload whose digest does not match, leaving no object', async () => {
    const blobs = store({ partSize: 5 * MiB });
    const bytes = bytesOf(11 * MiB);
    const declared = sha(bytesOf(10));
    const error = await rejection(blobs.put(chunked(bytes, MiB), { digest: declared }));
    expect(error.code).toBe('BLOB_INTEGRITY');
    expect(commands(sent)).toContain('AbortMultipartUpload');
    expect(commands(sent)).not.toContain('CompleteMultipartUpload');
    expect(await raw.keys(prefix)).toEqual([]);
  });

  it('sends one conditional PutObject for a small blob', async () => {
    await store().put(bytesOf(100));
    expect(commands(sent)).toEqual(['ListObjectsV2', 'HeadObject', 'PutObject', 'HeadObject']);
    expect(sent[2]?.headers['if-none-match']).toBe('*');
    sent.length = 0;
    await store({ conditionalWrites: false }).put(bytesOf(100));
    expect(sent.find((r) => r.command === 'PutObjectCommand')?.headers['if-none-match']).toBeUndefined();
  });

  it('sends no bytes for blobs that are already stored, but still checks what the caller declared', async () => {
    const blobs = store();
    const bytes = bytesOf(300_000);
    const info = await blobs.put(bytes);
    sent.length = 0;
    expect(await blobs.put(chunked(bytes, 4096), info)).toEqual(info);
    expect(await store().put(bytes)).toEqual(info);
    expect(commands(sent)).toEqual(['HeadObject', 'ListObjectsV2', 'HeadObject']);
    expect(sent.reduce((total, r) => total + r.bytes, 0)).toBe(0);
    const wrong = await rejection(blobs.put(bytesOf(300_000), { digest: info.digest }));
    expect(wrong.code).toBe('BLOB_INTEGRITY');
  });

  it('uploads a blob once when one store puts it several times at once', async () => {
    const blobs = store();
    const bytes = bytesOf(400_000);
    const results = await Promise.all([
      blobs.put(bytes),
      blobs.put(chunked(bytes, 1000)),
      blobs.put(bytes, { size: 400_000 }),
    ]);
    expect(new Set(results.map((r) => r.digest))).toEqual(new Set([sha(bytes)]));
    expect(commands(sent).filter((c) => c === 'PutObject')).toEqual(['PutObject']);
  });

  it('spools a stream of unknown digest longer than one part, then uploads it to its key', async () => {
    const spoolDir = await mkdtemp(join(tmpdir(), 'railyard-spool-'));
    try {
      const blobs = store({ partSize: 5 * MiB, spoolDir });
      const bytes = bytesOf(6 * MiB);
      const info = await blobs.put(chunked(bytes, 100_000));
      expect(info).toEqual({ digest: sha(bytes), size: bytes.byteLength });
      expect(await raw.keys(prefix)).toEqual([keyFor(prefix, info.digest)]);
      expect(await readdir(spoolDir)).toEqual([]);
      async function* failing() {
        yield* chunked(bytes, MiB);
        throw new Error('source broke');
      }
      await expect(blobs.put(failing())).rejects.toThrow('source broke');
      expect(await readdir(spoolDir)).toEqual([]);
    } finally {
      await rm(spoolDir, { recursive: true, force: true });
    }
  });

  it('refuses on a verified read an object changed behind its back; verifyReads: false hands the bytes over', async () => {
    const blobs = store();
    const { digest } = await blobs.put(bytesOf(50_000));
    const tampered = bytesOf(50_000);
    await raw.write(keyFor(prefix, digest), tampered);
    const error = await rejection(readAll(await blobs.get(digest)));
    expect(error.code).toBe('BLOB_INTEGRITY');
    expect(error.message).toContain('changed outside Railyard');
    expect(await readAll(await store({ verifyReads: false }).get(digest))).toEqual(Buffer.from(tampered));
  });

  it.each([
    ['of the same size', 1000],
    ['of another size', 999],
  ])('repairs on put an object changed behind its back %s: digests are compared, not sizes', async (_, size) => {
    const blobs = store();
    const bytes = bytesOf(1000);
    const { digest } = await blobs.put(bytes);
    await raw.write(keyFor(prefix, digest), bytesOf(size));
    sent.length = 0;
    expect(await blobs.put(bytes)).toEqual({ digest, size: 1000 });
    expect(commands(sent)).toContain('PutObject');
    expect(Buffer.from((await raw.read(keyFor(prefix, digest))) ?? [])).toEqual(Buffer.from(bytes));
    expect(await readAll(await blobs.get(digest))).toEqual(Buffer.from(bytes));
  });

  it('sends nothing when the object under the key carries the blob digest, and refuses wrong bytes', async () => {
    const blobs = store();
    const bytes = bytesOf(1000);
    const { digest } = await blobs.put(bytes);
    sent.length = 0;
    expect(await blobs.put(bytes)).toEqual({ digest, size: 1000 });
    expect(commands(sent)).toEqual(['HeadObject']);
    const error = await rejection(blobs.put(bytesOf(1000), { digest }));
    expect(error.code).toBe('BLOB_INTEGRITY');
    expect(Buffer.from((await raw.read(keyFor(prefix, digest))) ?? [])).toEqual(Buffer.from(bytes));
  });

  it('never records a blob whose stored bytes differ from those sent, and says which client setting to use', async () => {
    appendToUploads(client, bytesOf(46));
    for (const [size, partSize] of [
      [70_000, 16 * MiB],
      [5 * MiB + 1, 5 * MiB],
    ]) {
      const bytes = bytesOf(size as number);
      const error = await rejection(store({ partSize }).put(bytes));
      expect(error.code).toBe('BLOB_INTEGRITY');
      expect(error.message).toContain("requestChecksumCalculation: 'WHEN_REQUIRED'");
      expect(await store().has(sha(bytes))).toBe(false);
      expect(await raw.keys(prefix)).toEqual([]);
    }
  });

  it('treats a conditional write that loses to the same blob as success', async () => {
    const bytes = bytesOf(2000);
    const racer = rawObjects(s3.client(), s3.bucket);
    // S3 answers 412 when If-None-Match: * meets an existing key; a racing writer got there first.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PutObjectCommand') return next(args);
        await racer.write(keyFor(prefix, sha(bytes)), bytes);
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      },
      { step: 'finalizeRequest', name: 'racingWriter' },
    );
    expect(await store().put(bytes)).toEqual({ digest: sha(bytes), size: 2000 });
  });
});

// s3rver-specific: it keeps the aws-chunked framing of streamed bodies (see docs/s3.md).
describe.skipIf(Boolean(process.env.RAILYARD_TEST_S3_URL))(
  's3BlobStore on a client with the SDK default checksums',
  () => {
    it('stores blobs intact on s3rver, single and multipart, where a streamed PutObject is corrupted', async () => {
      const client = s3.client({
        requestChecksumCalculation: 'WHEN_SUPPORTED',
        responseChecksumValidation: 'WHEN_SUPPORTED',
      });
      const prefix = uniquePrefix();
      const raw = rawObjects(s3.client(), s3.bucket);
      try {
        // The control: this client streaming a body itself makes s3rver store the framing too.
        const control = bytesOf(MiB);
        const controlKey = `${prefix}/control`;
        await client.send(
          new PutObjectCommand({
            Bucket: s3.bucket,
            Key: controlKey,
            Body: Readable.from([control]),
            ContentLength: MiB,
          }),
        );
        expect((await raw.read(controlKey))?.byteLength).toBeGreaterThan(MiB);
        const blobs = s3BlobStore({ client, bucket: s3.bucket, prefix, partSize: 5 * MiB });
        for (const bytes of [bytesOf(12 * MiB), bytesOf(3 * MiB)]) {
          const info = await blobs.put(chunked(bytes, MiB), { size: bytes.byteLength });
          expect(sha((await raw.read(keyFor(prefix, info.digest))) ?? new Uint8Array())).toBe(sha(bytes));
        }
      } finally {
        await raw.clear(prefix);
        client.destroy();
      }
    });
  },
);
