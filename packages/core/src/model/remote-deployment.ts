import * as z from 'zod';
import { Actor } from './actor.js';
import { Digest, Slug, Timestamp } from './primitives.js';
import type * as T from './remote-deployment-types.js';

/**
 * What a design site knows of a promotion it asked another site for: the remote deployment's id
 * and its last status seen, refreshed by the worker through the transport.
 * @hidden
 */
export const RemoteDeployment = z
  .object({
    environment: Slug,
    remoteId: z.string().min(1),
    bundleId: Digest,
    version: z.string(),
    requestedBy: Actor,
    requestedAt: Timestamp,
    status: z.string(),
    /** Why it failed, was rejected or cancelled, when the remote site said so. */
    detail: z.string().optional(),
    checkedAt: Timestamp,
  })
  .strict() satisfies z.ZodType<T.RemoteDeployment>;
/** What a design site knows of a promotion it asked another site for. */
export type RemoteDeployment = T.RemoteDeployment;

/**
 * Statuses after which a remote deployment is no longer polled. `active` is not one: the remote
 * site may still supersede it or roll it back, and this site should see that.
 * @internal
 */
export const SETTLED_REMOTE = new Set(['superseded', 'rolled_back', 'rejected', 'cancelled', 'failed']);
