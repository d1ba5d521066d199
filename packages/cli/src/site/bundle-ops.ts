import type {
  ActorInput,
  BundleDiff,
  BundleRecord,
  BundleSignature,
  BundleVerification,
  GcResult,
  JournalEntry,
  JournalVerification,
  OnProgress,
  PushResult,
} from '@railyard/core';

/**
 * What the bundle, journal and gc commands ask of a site. Every method takes and returns JSON-safe
 * values, except the `onProgress` callbacks, which a socket site keeps on the caller's side (the
 * holder streams progress back). Paths are absolute: the holder of a store reads and writes them
 * itself (local file access is full trust).
 */
export interface BundleOps {
  buildBundle(input: {
    dir: string;
    version: string;
    notes?: string;
    by: ActorInput;
    onProgress?: OnProgress;
  }): Promise<BundleRecord>;
  listBundles(query: { project?: string }): Promise<BundleRecord[]>;
  /** A bundle (by id, id prefix or `project@version`) with its signatures. */
  showBundle(ref: string): Promise<{ bundle: BundleRecord; signatures: BundleSignature[] }>;
  diffBundles(from: string, to: string): Promise<BundleDiff & { text: string; fromId: string; toId: string }>;
  verifyBundle(ref: string): Promise<BundleVerification & { bundle: string }>;
  signBundle(ref: string, input: { keyId: string; privateKey: string; by: ActorInput }): Promise<BundleSignature>;
  exportBundle(
    ref: string,
    input: { out: string; onProgress?: OnProgress },
  ): Promise<{ bundle: string; out: string; bytes: number }>;
  importBundle(input: {
    file: string;
    by: ActorInput;
    /** Public keys (SPKI PEM) this site trusts, by key id: signatures by them are checked and recorded. */
    trustedKeys?: Record<string, string>;
    requireSignatures?: number;
    onProgress?: OnProgress;
  }): Promise<BundleRecord>;
  /** Sends a bundle to a site's agent without promoting it (blobs it lacks, manifest, signatures). */
  pushBundle(
    ref: string,
    input: { url: string; keyId: string; secret: string; onProgress?: OnProgress },
  ): Promise<PushResult>;
  verifyJournal(): Promise<JournalVerification>;
  /** Journal entries at or after `since` (an ISO instant), in order. */
  exportJournal(query: { since?: string }): Promise<JournalEntry[]>;
  gc(input: { dryRun: boolean; keep?: number; by: ActorInput }): Promise<GcResult>;
}
