import type { ActorInput } from '../model/actor.js';
import type { BundleManifest } from '../model/bundle.js';
import type { Deployment } from '../model/deployment.js';
import type { BundleSignature } from '../model/signature.js';
import type { BlobSource } from './blob-store.js';

/** A promotion request sent to another site. */
export interface RemotePromoteRequest {
  /** The bundle to promote (already pushed). */
  bundleId: string;
  /** The remote environment. */
  to: string;
  /** Who asks; the remote site applies its own policy to them. */
  by: ActorInput;
  /** Why, for the remote journal. */
  reason?: string;
  /** The same for retries of this request: the remote site promotes once. */
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
  /** Sends one blob's bytes; the remote site checks the digest and size. */
  pushBlob(blob: { digest: string; size: number }, source: BlobSource): Promise<void>;
  /** Stores a manifest whose blobs are all present remotely; returns the bundle id it got. */
  pushBundle(manifest: BundleManifest): Promise<{
    /** The bundle's id on the remote site. */
    id: string;
  }>;
  /** Sends a detached signature of a bundle the remote site holds. */
  pushSignature(signature: BundleSignature): Promise<void>;
  /** Asks the remote site to promote a bundle it holds; returns its deployment. */
  promote(request: RemotePromoteRequest): Promise<Deployment>;
  /** The remote deployment, or `null` when the remote site does not know it. */
  getDeployment(id: string): Promise<Deployment | null>;
  /** Releases what the transport holds (connections). */
  close?(): Promise<void>;
}
