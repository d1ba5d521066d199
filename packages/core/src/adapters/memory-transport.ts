import type { PushProgress } from '../contracts/progress.js';
import type { Transport } from '../contracts/transport.js';
import type { ActorInput } from '../model/actor.js';
import type { SiteApi } from '../railyard/create-railyard.js';
import { pushProgress } from './push-progress.js';

/**
 * Options of {@link memoryTransport}.
 *
 * @example
 * ```ts
 * const options: MemoryTransportOptions = { as: { id: 'design-site', roles: [] }, onProgress: console.log };
 * ```
 */
export interface MemoryTransportOptions {
  /** The actor the pushes of manifests and signatures are recorded as (default `transport`). */
  as?: ActorInput;
  /** Called as each blob's bytes are pushed (see {@link PushProgress}). */
  onProgress?: (progress: PushProgress) => void;
}

/**
 * A transport to another Railyard in the same process: the two-sites picture without a network.
 * The design site pushes bundles into the production site's own stores and asks it for promotions;
 * the production site's policy and approvers decide there.
 *
 * @example
 * ```ts
 * const production = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
 * const design = createRailyard({ store, blobs, transport: memoryTransport(production) });
 * await design.environments.define({ id: 'production', remote: true });
 * ```
 */
export function memoryTransport(site: { site: SiteApi }, options: MemoryTransportOptions = {}): Transport {
  const api = site.site;
  const pusher: ActorInput = options.as ?? { id: 'transport', roles: [] };
  return {
    missingBlobs: (digests) => api.missingBlobs(digests),
    pushBlob: (blob, source) => api.putBlob(blob, pushProgress(blob, source, options.onProgress)),
    pushBundle: async (manifest) => ({ id: (await api.putBundle(manifest, pusher)).id }),
    pushSignature: async (signature) => void (await api.putSignature(signature, pusher)),
    promote: (request) =>
      api.promote({
        bundle: request.bundleId,
        to: request.to,
        by: request.by,
        ...(request.reason ? { reason: request.reason } : {}),
        idempotencyKey: request.idempotencyKey,
      }),
    getDeployment: (id) => api.getDeployment(id),
  };
}
