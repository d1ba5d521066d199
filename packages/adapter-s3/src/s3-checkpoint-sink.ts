import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CheckpointSink, SignedCheckpoint } from '@railyard/core/adapters';
import { ValidationError } from '@railyard/core/errors';
import { isConditionalConflict, isNotFound, s3Error } from './classify-error.js';
import { normalisePrefix } from './keys.js';

/**
 * Options of {@link s3CheckpointSink}.
 *
 * @example
 * ```ts
 * const options: S3CheckpointSinkOptions = { client, bucket: 'acme-audit', prefix: 'railyard/production', retention: { mode: 'COMPLIANCE', days: 400 } };
 * ```
 */
export interface S3CheckpointSinkOptions {
  /** The S3 client, configured by the host (region, credentials, endpoint). */
  client: S3Client;
  /** A bucket of its own, created with Object Lock enabled; not the blob bucket. */
  bucket: string;
  /** Key prefix of the checkpoints (default `railyard/checkpoints`). */
  prefix?: string;
  /**
   * Object Lock retention of each checkpoint, counted from the checkpoint's time: `COMPLIANCE`
   * (nobody, not even the root account, can shorten it or delete the object) or `GOVERNANCE`
   * (those with `s3:BypassGovernanceRetention` can). Omit it only when the bucket's default
   * retention applies.
   */
  retention?: {
    /** `COMPLIANCE` or `GOVERNANCE` Object Lock. */
    mode: 'COMPLIANCE' | 'GOVERNANCE';
    /** Days each checkpoint is kept. */
    days: number;
  };
}

/**
 * A {@link CheckpointSink} on S3 with Object Lock, that lists and reads its checkpoints back.
 *
 * @example
 * ```ts
 * const sink: S3CheckpointSink = s3CheckpointSink({ client, bucket: 'acme-audit' });
 * console.log(sink.keyOf(42)); // railyard/checkpoints/0000000000000042.json
 * ```
 */
export interface S3CheckpointSink extends CheckpointSink {
  /** The key of the checkpoint of entry `seq`. */
  keyOf(seq: number): string;
  list(): AsyncIterable<SignedCheckpoint>;
  latest(): Promise<SignedCheckpoint | null>;
}

const DAY_MS = 86_400_000;

/**
 * Keeps signed journal checkpoints in an S3 bucket with Object Lock: one object per checkpoint at
 * `<prefix>/<seq, 16 digits>.json`, written with `If-None-Match: *` (a checkpoint is never
 * replaced; a second one for the same `seq` is ignored) and, with `retention`, `ObjectLockMode`
 * and `ObjectLockRetainUntilDate` so that whoever can write the state store, or this bucket,
 * cannot change or delete it until then. `list` and `latest` read them back for
 * `journal.verify()`. The writer needs `s3:PutObject` and `s3:PutObjectRetention` on the prefix,
 * the verifier `s3:ListBucket` and `s3:GetObject`.
 *
 * @example
 * ```ts
 * import { s3CheckpointSink } from '@railyard/adapter-s3';
 *
 * const railyard = createRailyard({
 *   store, blobs,
 *   checkpoints: {
 *     sink: s3CheckpointSink({ client, bucket: 'acme-audit', retention: { mode: 'COMPLIANCE', days: 400 } }),
 *     privateKey, publicKey,
 *   },
 * });
 * ```
 */
export function s3CheckpointSink(options: S3CheckpointSinkOptions): S3CheckpointSink {
  const { client, bucket, retention } = options;
  if (typeof bucket !== 'string' || bucket === '')
    throw new ValidationError('s3CheckpointSink: bucket is required; name a bucket created with Object Lock enabled.');
  if (retention && (!Number.isSafeInteger(retention.days) || retention.days < 1)) {
    throw new ValidationError(`s3CheckpointSink: retention.days must be a positive integer, got ${retention.days}.`);
  }
  if (retention && retention.mode !== 'COMPLIANCE' && retention.mode !== 'GOVERNANCE') {
    throw new ValidationError('s3CheckpointSink: retention.mode must be COMPLIANCE or GOVERNANCE.');
  }
  const prefix = normalisePrefix(options.prefix ?? 'railyard/checkpoints');
  const base = prefix === '' ? '' : `${prefix}/`;
  const keyOf = (seq: number) => `${base}${String(seq).padStart(16, '0')}.json`;
  const isCheckpointKey = (key: string | undefined): key is string =>
    key !== undefined && /^\d{16}\.json$/.test(key.slice(base.length));

  async function* keys(): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: base, ...(token ? { ContinuationToken: token } : {}) }),
        );
      } catch (error) {
        throw s3Error(error, { operation: 'ListObjectsV2', bucket, key: base });
      }
      for (const object of page.Contents ?? []) if (isCheckpointKey(object.Key)) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async function read(key: string): Promise<SignedCheckpoint> {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // Checked (schema and signature) by journal.verify(), not here.
      return JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null') as SignedCheckpoint;
    } catch (error) {
      if (error instanceof SyntaxError) return null as unknown as SignedCheckpoint;
      throw s3Error(error, { operation: 'GetObject', bucket, key });
    }
  }

  return {
    keyOf,
    async put(checkpoint) {
      const key = keyOf(checkpoint.seq);
      // A HEAD first, for S3-compatible servers that ignore If-None-Match (s3rver, some others).
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return;
      } catch (error) {
        if (!isNotFound(error)) throw s3Error(error, { operation: 'HeadObject', bucket, key });
      }
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: `${JSON.stringify(checkpoint)}\n`,
            ContentType: 'application/json',
            IfNoneMatch: '*',
            // Object Lock requires an integrity checksum on the request.
            ChecksumAlgorithm: 'SHA256',
            ...(retention
              ? {
                  ObjectLockMode: retention.mode,
                  ObjectLockRetainUntilDate: new Date(new Date(checkpoint.at).getTime() + retention.days * DAY_MS),
                }
              : {}),
          }),
        );
      } catch (error) {
        if (isConditionalConflict(error)) return; // kept already, by this or another engine
        throw s3Error(error, { operation: 'PutObject', bucket, key });
      }
    },
    async *list() {
      for await (const key of keys()) yield await read(key);
    },
    async latest() {
      let last: string | undefined;
      for await (const key of keys()) last = key;
      return last === undefined ? null : read(last);
    },
  };
}
