import { adapterError } from '@railyard/core/adapters';
import { isRailyardError, type RailyardError } from '@railyard/core/errors';

/**
 * Where an S3 call was going, for messages that say what to check.
 *
 * @example
 * ```ts
 * const site: S3CallSite = { operation: 'GetObject', bucket: 'acme-railyard', key: 'production/sha256/ab/ab…' };
 * ```
 */
export interface S3CallSite {
  /** The S3 operation that failed. */
  operation: string;
  /** The bucket. */
  bucket: string;
  /** The object key, when there is one. */
  key?: string;
}

/**
 * The fields of an SDK error (or a Node network error) the classification reads.
 * @internal
 *
 * @example
 * ```ts
 * const facts: S3FailureFacts = { name: 'SlowDown', code: undefined, status: 503, message: 'slow down', sdkRetryable: true };
 * ```
 */
export interface S3FailureFacts {
  name: string;
  code: string | undefined;
  status: number | undefined;
  message: string;
  sdkRetryable: boolean;
}

const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);
const TIMEOUTS = new Set(['RequestTimeout', 'RequestTimeoutException', 'TimeoutError']);
const SERVER = new Set(['InternalError', 'ServiceUnavailable', 'OperationAborted']);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);
const DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'AllAccessDisabled',
  'AccountProblem',
]);
const WRONG_REGION = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/**
 * Reads the facts of a thrown value: the SDK's exception name and HTTP status, or a Node error code.
 * @internal
 *
 * @example
 * ```ts
 * failureFacts(error).status; // 404
 * ```
 */
export function failureFacts(error: unknown): S3FailureFacts {
  const value = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const metadata = value.$metadata as { httpStatusCode?: unknown } | undefined;
  const status = typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  const cause = value.cause as { code?: unknown } | undefined;
  const code = typeof value.code === 'string' ? value.code : typeof cause?.code === 'string' ? cause.code : undefined;
  return {
    name: typeof value.name === 'string' ? value.name : 'Error',
    code,
    status,
    message: error instanceof Error ? error.message : String(error),
    sdkRetryable: value.$retryable !== undefined,
  };
}

/**
 * Whether S3 refused a conditional write because the key already exists (or a racing write holds it).
 * @internal
 *
 * @example
 * ```ts
 * if (isConditionalConflict(error)) return headSize(ctx, key); // another writer stored it first
 * ```
 */
export function isConditionalConflict(error: unknown): boolean {
  const { name, status } = failureFacts(error);
  return status === 412 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict';
}

/**
 * Whether S3 reports the key as absent. A HEAD on a missing bucket looks the same (404 without a
 * body), which is why the store checks the bucket once with a listing first.
 * @internal
 *
 * @example
 * ```ts
 * if (isNotFound(error)) return null;
 * ```
 */
export function isNotFound(error: unknown): boolean {
  const { name, status } = failureFacts(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (status === 404 && name !== 'NoSuchBucket');
}

/**
 * Turns anything an S3 call threw into a Railyard error with core's `adapterError`: an
 * `AdapterError` that keeps the cause, says what to check, and is `retryable` for throttling,
 * timeouts, 5xx and network failures (the core retries those; this adapter never does). Railyard
 * errors pass through unchanged.
 *
 * @example
 * ```ts
 * try {
 *   await client.send(new HeadObjectCommand({ Bucket, Key }));
 * } catch (error) {
 *   throw s3Error(error, { operation: 'HeadObject', bucket: Bucket, key: Key });
 * }
 * ```
 */
export function s3Error(error: unknown, site: S3CallSite): RailyardError {
  if (isRailyardError(error)) return error;
  const facts = failureFacts(error);
  const { name, code, status } = facts;
  const where = `s3://${site.bucket}${site.key === undefined ? '' : `/${site.key}`}`;
  const what = `${name}${status === undefined ? '' : ` (HTTP ${status})`}${code && code !== name ? ` [${code}]` : ''}: ${facts.message}`;
  const fail = (advice: string, retryable: boolean) =>
    adapterError({
      operation: `S3 ${site.operation} on ${where}`,
      cause: error,
      reason: what,
      hint: advice,
      retryable,
      details: { operation: site.operation, bucket: site.bucket, key: site.key, s3Error: name, status, code },
    });

  if (THROTTLING.has(name) || status === 429)
    return fail(
      'S3 is throttling requests; the call may be retried with backoff. If it persists, spread the load or raise the request rate limits.',
      true,
    );
  if (code !== undefined && NETWORK.has(code))
    return fail(
      'The S3 endpoint could not be reached or dropped the connection; it may be retried. Check that the endpoint is up and reachable from here.',
      true,
    );
  if (TIMEOUTS.has(name))
    return fail(
      'The request timed out; it may be retried. If it persists, check the network path to the endpoint and the client timeouts.',
      true,
    );
  if (name === 'NoSuchBucket')
    return fail(
      `Bucket "${site.bucket}" does not exist at this endpoint: create it, or fix the bucket name, the client's region or endpoint (and forcePathStyle for S3-compatible servers).`,
      false,
    );
  if (DENIED.has(name) || status === 403)
    return fail(
      `Access was denied: check the S3Client's credentials, and that its IAM policy allows s3:GetObject, s3:PutObject and s3:DeleteObject on arn:aws:s3:::${site.bucket}/<prefix>/* and s3:ListBucket on arn:aws:s3:::${site.bucket} (docs/s3.md lists the permissions).`,
      false,
    );
  if (WRONG_REGION.has(name) || status === 301)
    return fail(
      `Bucket "${site.bucket}" is in another region than the client's: create the S3Client with the bucket's region.`,
      false,
    );
  if (name === 'NotImplemented' || status === 501)
    return fail(
      'The S3-compatible server does not implement this request. If it refuses conditional writes (If-None-Match), create the store with conditionalWrites: false.',
      false,
    );
  if (SERVER.has(name) || (status !== undefined && status >= 500))
    return fail('The S3 service failed on its side; the call may be retried.', true);
  if (name === 'RequestTimeTooSkewed')
    return fail(
      "The machine's clock differs from the server's; the call may be retried (the SDK corrects its clock offset). Check the clock (NTP) if it persists.",
      true,
    );
  if (facts.sdkRetryable) return fail('The SDK marks this failure as transient; the call may be retried.', true);
  return fail('Check the bucket, the prefix and the S3Client configuration (docs/s3.md).', false);
}
