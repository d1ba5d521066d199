import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * An S3 endpoint for the tests: `RAILYARD_TEST_S3_URL` (with `RAILYARD_TEST_S3_BUCKET`, an existing
 * bucket, and optionally `RAILYARD_TEST_S3_REGION`, `RAILYARD_TEST_S3_ACCESS_KEY_ID`,
 * `RAILYARD_TEST_S3_SECRET_ACCESS_KEY`), else an s3rver on 127.0.0.1, on an ephemeral port, in a
 * temp directory. Tests isolate themselves by key prefix within the one bucket.
 */
export interface TestS3 {
  /** True when the tests started the server (so they may stop and restart it). */
  readonly local: boolean;
  readonly bucket: string;
  /** A new client for the endpoint, with `WHEN_REQUIRED` checksums unless `extra` says otherwise. */
  client(extra?: Partial<S3ClientConfig>): S3Client;
  /** Stops the local server (keeping its data); a no-op for an external endpoint. */
  stop(): Promise<void>;
  /** Starts the local server again on the same port and directory. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

export async function startTestS3(): Promise<TestS3> {
  const url = process.env.RAILYARD_TEST_S3_URL;
  if (url) return external(url);
  const directory = await mkdtemp(join(tmpdir(), 'railyard-s3rver-'));
  const bucket = 'railyard-test';
  const start = async (port: number) => {
    const server = new S3rver({
      address: '127.0.0.1',
      port,
      directory,
      silent: true,
      configureBuckets: [{ name: bucket }],
    });
    return { server, port: (await server.run()).port };
  };
  let running: S3rver | undefined;
  let port = 0;
  try {
    ({ server: running, port } = await start(0));
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const stop = async () => {
    const server = running;
    running = undefined;
    await server?.close();
  };
  return {
    local: true,
    bucket,
    client: (extra = {}) => clientFor(`http://127.0.0.1:${port}`, 'us-east-1', credentials, extra),
    stop,
    async restart() {
      if (!running) running = (await start(port)).server;
    },
    async dispose() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function external(url: string): TestS3 {
  const bucket = process.env.RAILYARD_TEST_S3_BUCKET;
  if (!bucket) throw new Error('RAILYARD_TEST_S3_URL is set: set RAILYARD_TEST_S3_BUCKET to an existing bucket too.');
  const id = process.env.RAILYARD_TEST_S3_ACCESS_KEY_ID;
  const secret = process.env.RAILYARD_TEST_S3_SECRET_ACCESS_KEY;
  const credentials = id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined;
  const region = process.env.RAILYARD_TEST_S3_REGION ?? 'us-east-1';
  return {
    local: false,
    bucket,
    client: (extra = {}) => clientFor(url, region, credentials, extra),
    stop: async () => undefined,
    restart: async () => undefined,
    dispose: async () => undefined,
  };
}

function clientFor(
  endpoint: string,
  region: string,
  credentials: S3ClientConfig['credentials'],
  extra: Partial<S3ClientConfig>,
): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(credentials ? { credentials } : {}),
    ...extra,
  });
}

/** A fresh key prefix, so that tests sharing a bucket never see each other's blobs. */
export const uniquePrefix = () => `test-${randomUUID()}`;

/** The documented layout, computed independently of the adapter. */
export const keyFor = (prefix: string, digest: string) => {
  const hex = digest.replace(/^sha256:/, '');
  return `${prefix}/sha256/${hex.slice(0, 2)}/${hex}`;
};

/** Reads and writes objects with the S3 client directly, behind the store's back. */
export function rawObjects(client: S3Client, bucket: string) {
  return {
    async read(key: string): Promise<Uint8Array | null> {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await out.Body?.transformToByteArray()) ?? new Uint8Array(0);
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async write(key: string, bytes: Uint8Array): Promise<void> {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    async keys(prefix: string): Promise<string[]> {
      const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/` }));
      return (out.Contents ?? []).map((object) => object.Key ?? '');
    },
    /** Deletes every object under the prefix (one page: tests write few objects). */
    async clear(prefix: string): Promise<void> {
      for (const Key of await this.keys(prefix)) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    },
  };
}
