import type { ActorInput } from '../model/actor.js';
import type { BundleManifest } from '../model/bundle.js';
import type { Deployment } from '../model/deployment.js';
import type { BundleSignature } from '../model/signature.js';
import type { BlobSource } from './blob-store.js';

/** A promotion request sent to another site. */
export interface RemotePromoteRequest {
  bundleId: string;
  to: string;
  by: ActorInput;
  reason?: string;
  idempotencyKey: string;
}

/**
 * How a design site reaches a production site: push the blobs it lacks, the manifest, then ask for a
 * promotion and watch its status. The production site keeps its own stores and approvers.
 *
 * @example
 * ```ts
 * const design = createRailyard({ store, blobs, transport: memoryTransport(production) });
 * ```
 */
export interface Transport {
  /** Of the given digests, those the remote site does not hold. */
  missingBlobs(digests: string[]): Promise<string[]>;
  pushBlob(blob: { digest: string; size: number }, source: BlobSource): Promise<void>;
  /** Stores a manifest whose blobs are all present remotely; returns the bundle id it got. */
  pushBundle(manifest: BundleManifest): Promise<{ id: string }>;
  /** Sends a detached signature of a bundle the remote site holds. */
  pushSignature(signature: BundleSignature): Promise<void>;
  promote(request: RemotePromoteRequest): Promise<Deployment>;
  /** The remote deployment, or `null` when the remote site does not know it. */
  getDeployment(id: string): Promise<Deployment | null>;
  close?(): Promise<void>;
}
