import { BundleManifestSchema, bundleId } from '@railyard/core';
import { ValidationError } from '@railyard/core/errors';
import { busy, malformed, tooLarge } from '../errors.js';
import { boundedBody, readJsonBody } from './body.js';
import type { Route, RouteContext } from './context.js';
import { json } from './exchange.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

function jsonBounds(context: RouteContext) {
  const { limits, clock } = context.agent.options;
  return {
    limit: limits.maxJsonBytes,
    limitName: 'limits.maxJsonBytes',
    idleMs: limits.bodyIdleTimeoutMs,
    clock,
    maxDepth: limits.maxJsonDepth,
  };
}

/** Reads a JSON body within the agent's limits, checked against the signed digest. @internal */
export function readJson(context: RouteContext): Promise<unknown> {
  return readJsonBody(context.request, jsonBounds(context), context.contentSha256);
}

function digestParam(context: RouteContext): { digest: string; hex: string } {
  const digest = context.params[0] ?? '';
  const hex = DIGEST.exec(digest)?.[1];
  if (!hex) throw malformed(`"${digest}" is not a blob digest: expected sha256:<64 lower-case hex digits>.`);
  return { digest, hex };
}

/** Blobs, manifests and signatures: what a design site pushes before it asks for a promotion. @internal */
export const pushRoutes: Route[] = [
  {
    method: 'HEAD',
    path: '/v1/blobs/:digest',
    action: 'push',
    async handle(context) {
      const { digest } = digestParam(context);
      const missing = await context.agent.railyard.site.missingBlobs([digest]);
      return { status: missing.length === 0 ? 200 : 404, headers: { 'cache-control': 'no-store' }, body: null };
    },
  },
  {
    method: 'PUT',
    path: '/v1/blobs/:digest',
    action: 'push',
    async handle(context) {
      const { digest, hex } = digestParam(context);
      const sizeParam = context.query.get('size') ?? '';
      if (!/^[0-9]{1,16}$/.test(sizeParam))
        throw malformed('Send the blob size in bytes as the query parameter "size".');
      const size = Number(sizeParam);
      if (context.contentSha256 !== hex)
        throw malformed(
          `railyard-content-sha256 must be the blob's own digest (${hex}): a blob body is signed by its digest.`,
        );
      const { limits, clock } = context.agent.options;
      if (size > limits.maxBlobBytes)
        throw tooLarge(
          limits.maxBlobBytes,
          `The blob is ${size} bytes, over limits.maxBlobBytes (${limits.maxBlobBytes}).`,
        );
      const uploads = context.agent.uploads;
      const keyId = context.key.id;
      const mine = uploads.byKey.get(keyId) ?? 0;
      if (uploads.active >= limits.maxConcurrentUploads)
        throw busy(`${uploads.active} uploads are already in progress (limits.maxConcurrentUploads)`, 1);
      if (mine >= limits.maxConcurrentUploadsPerKey)
        throw busy(`key "${keyId}" already has ${mine} uploads in progress (limits.maxConcurrentUploadsPerKey)`, 1);
      uploads.active++;
      uploads.byKey.set(keyId, mine + 1);
      try {
        // The blob store hashes while it writes and refuses bytes that are not `digest`; the bound
        // refuses one byte past `size` (or past the Content-Length) before it reaches the store.
        const body = boundedBody(context.request, {
          limit: size,
          limitName: 'its declared size',
          idleMs: limits.bodyIdleTimeoutMs,
          clock,
          pace: {
            deadlineMs: limits.uploadDeadlineMs,
            minBytesPerSecond: limits.minUploadBytesPerSecond,
            graceMs: limits.uploadGraceMs,
          },
        });
        await context.agent.railyard.site.putBlob({ digest, size }, body);
      } finally {
        uploads.active--;
        const left = (uploads.byKey.get(keyId) ?? 1) - 1;
        if (left > 0) uploads.byKey.set(keyId, left);
        else uploads.byKey.delete(keyId);
      }
      return json(201, { digest, size });
    },
  },
  {
    method: 'PUT',
    path: '/v1/bundles/:id',
    action: 'push',
    async handle(context) {
      const id = context.params[0] ?? '';
      const body = await readJson(context);
      const parsed = BundleManifestSchema.safeParse(body);
      if (parsed.success && bundleId(parsed.data) !== id) {
        throw new ValidationError(
          `The manifest's id is ${bundleId(parsed.data)}, not ${id} as in the path: PUT it at /v1/bundles/${bundleId(parsed.data)}.`,
        );
      }
      const record = await context.agent.railyard.site.putBundle(body, context.key.actor);
      return json(200, { id: record.id });
    },
  },
  {
    method: 'PUT',
    path: '/v1/bundles/:id/signatures/:keyId',
    action: 'push',
    async handle(context) {
      const [id, keyId] = context.params;
      const body = await readJson(context);
      const claimed = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
      if (claimed.bundleId !== id || claimed.keyId !== keyId)
        throw new ValidationError(`The signature's bundleId and keyId must match the path (${id}, ${keyId}).`);
      const signature = await context.agent.railyard.site.putSignature(body, context.key.actor);
      return json(200, signature);
    },
  },
];
