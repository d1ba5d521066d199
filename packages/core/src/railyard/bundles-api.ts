import type { Readable } from 'node:stream';
import type { ArchiveSource } from '../bundle/archive/tar-reader.js';
import type { BundleDiff } from '../bundle/diff.js';
import type { BundleVerification } from '../bundle/verify-blobs.js';
import type { ExportArchiveOptions } from '../deployments/bundles/archive-export.js';
import type { ImportArchiveOptions } from '../deployments/bundles/archive-import.js';
import type { BuildBundleInput } from '../deployments/bundles/build-bundle.js';
import type { CreateBundleInput } from '../deployments/bundles/bundles.js';
import type { GcInput, GcResult } from '../deployments/bundles/gc.js';
import type { PushBundleOptions, PushResult } from '../deployments/bundles/push-bundle.js';
import type { RevokeKeyInput, SignBundleInput } from '../deployments/bundles/signatures.js';
import type { BundleRecord } from '../model/bundle.js';
import type { BundleSignature, RevokedKey } from '../model/signature.js';

/**
 * `railyard.bundles`: immutable snapshots of a project, identified by the digest of their manifest.
 *
 * @example
 * ```ts
 * const bundle = await railyard.bundles.create({ project: 'churn', version: '1.0.0', entries, createdBy: designer });
 * const same = await railyard.bundles.get(bundle.id);
 * ```
 */
export interface BundlesApi {
  /**
   * Stores a bundle from in-memory entries. The same project and version with other content is
   * refused; the same content again returns the existing bundle.
   *
   * @example
   * ```ts
   * const bundle = await railyard.bundles.create({
   *   project: 'churn', version: '1.0.0', createdBy: designer,
   *   entries: [{ path: 'model.json', content: JSON.stringify(model), kind: 'model' }],
   * });
   * ```
   */
  create(input: CreateBundleInput): Promise<BundleRecord>;
  /**
   * A bundle, or `null` if none has this id.
   *
   * @example
   * ```ts
   * const bundle = await railyard.bundles.get('sha256:9f86…');
   * ```
   */
  get(id: string): Promise<BundleRecord | null>;
  /**
   * A bundle named as a person types it: its id, a unique id prefix (4+ hex digits, with or without
   * `sha256:`) or `project@version`. Throws `NotFoundError` when none matches and `ValidationError`
   * when the name is malformed or matches more than one bundle.
   *
   * @example
   * ```ts
   * const bundle = await railyard.bundles.find('churn@1.2.0'); // or '9f86d081', or the full id
   * ```
   */
  find(ref: string): Promise<BundleRecord>;
  /**
   * Every bundle, or a project's.
   *
   * @example
   * ```ts
   * const versions = (await railyard.bundles.list({ project: 'churn' })).map((bundle) => bundle.manifest.version);
   * ```
   */
  list(query?: { project?: string }): Promise<BundleRecord[]>;
  /**
   * Builds a bundle from a project directory with a `railyard.project.json`.
   *
   * @example
   * ```ts
   * const bundle = await railyard.bundles.build({ dir: './churn', version: '1.4.0', createdBy: designer });
   * ```
   */
  build(input: BuildBundleInput): Promise<BundleRecord>;
  /**
   * Re-reads every blob of a bundle and checks digests and sizes.
   *
   * @example
   * ```ts
   * const { ok, problems } = await railyard.bundles.verify(bundle.id);
   * ```
   */
  verify(id: string): Promise<BundleVerification>;
  /**
   * What differs between two bundles (`from` may be `null`), as data and text.
   *
   * @example
   * ```ts
   * console.log((await railyard.bundles.diff(previous.id, bundle.id)).text);
   * ```
   */
  diff(
    from: string | null,
    to: string,
  ): Promise<
    BundleDiff & {
      /** The same, as text for people. */
      text: string;
    }
  >;
  /**
   * Removes bundles and blobs no environment needs any more.
   *
   * @example
   * ```ts
   * const { removedBundles } = await railyard.bundles.gc({ keep: 3, dryRun: true, by: operator });
   * ```
   */
  gc(input: GcInput): Promise<GcResult>;
  /**
   * Signs a bundle with an ed25519 key (the key is used, never stored). The signature is verified
   * against the public key some environment pins as `keyId` before it is recorded: a key no
   * environment pins, a revoked key, or a private key that does not match the pinned one is refused
   * (`POLICY_DENIED`, rule `signatures`) and nothing is stored.
   *
   * @example
   * ```ts
   * await railyard.bundles.sign(bundle.id, { keyId: 'release-2026', privateKey: pem, by: releaseManager });
   * ```
   */
  sign(id: string, input: SignBundleInput): Promise<BundleSignature>;
  /**
   * The signatures recorded for a bundle.
   *
   * @example
   * ```ts
   * const keyIds = (await railyard.bundles.signatures(bundle.id)).map((signature) => signature.keyId);
   * ```
   */
  signatures(id: string): Promise<BundleSignature[]>;
  /**
   * Revokes a bundle-signing key: its signatures stop counting for every environment (a deployment
   * not yet activated fails its preflight), and new ones are refused. Journaled as
   * `bundle.key-revoked`; revoking again returns the first revocation. To rotate, pin the new key
   * under a new id, sign with it, then revoke the old id.
   *
   * @example
   * ```ts
   * await railyard.bundles.revokeKey('release-2025', { by: securityOfficer, reason: 'key leaked' });
   * ```
   */
  revokeKey(keyId: string, input: RevokeKeyInput): Promise<RevokedKey>;
  /**
   * Writes a bundle, its signatures and its blobs as one tar archive (for air-gapped sites).
   * Missing blobs are reported before the stream starts. See docs/archives.md.
   *
   * @example
   * ```ts
   * await pipeline(await railyard.bundles.export(bundle.id), createWriteStream('churn-1.4.0.tar'));
   * ```
   */
  export(id: string, options?: ExportArchiveOptions): Promise<Readable>;
  /**
   * Imports a bundle archive: streamed, bounded, verified (signatures before the manifest is
   * parsed, every blob by digest and size) before anything is stored. See docs/archives.md.
   *
   * @example
   * ```ts
   * const bundle = await railyard.bundles.import(createReadStream('churn-1.4.0.tar'), { by: operator, trustedKeys, requireSignatures: 1 });
   * ```
   */
  import(source: ArchiveSource, options: ImportArchiveOptions): Promise<BundleRecord>;
  /**
   * Pushes a bundle to another site without promoting it: the blobs that site lacks (each verified
   * there by digest and size), the manifest, then the signatures. Promote it there afterwards, or
   * let `promote` into a remote environment push and promote in one go.
   *
   * @example
   * ```ts
   * const { blobsSent } = await railyard.bundles.push(bundle.id, { transport: httpTransport({ url, keyId, secret }), onProgress });
   * ```
   */
  push(id: string, options: PushBundleOptions): Promise<PushResult>;
}
