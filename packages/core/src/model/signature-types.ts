// Signature records as named interfaces; the schemas in signature.ts satisfy them.

/**
 * A detached ed25519 signature over a bundle's id (the UTF-8 bytes of `sha256:<hex>`), made with
 * the key named by `keyId`.
 *
 * @example
 * ```ts
 * const signature: BundleSignature = await railyard.bundles.sign(bundle.id, { keyId: 'release', privateKey, by: releaseManager });
 * ```
 */
export interface BundleSignature {
  /** The signed bundle's id (`sha256:<hex>`). */
  bundleId: string;
  /** The key that made it, as policies name it. */
  keyId: string;
  /** The signature algorithm. */
  algorithm: 'ed25519';
  /** Base64 of the 64-byte signature. */
  signature: string;
  /** When it was made (ISO time). */
  signedAt: string;
  /** Who made it, when known. */
  signedBy?: string;
}

/**
 * A bundle-signing key taken out of service: its signatures stop counting for every environment
 * from the moment it is revoked, and new signatures made with it are refused.
 *
 * @example
 * ```ts
 * const revoked: RevokedKey = await railyard.bundles.revokeKey('release-2025', { by: securityOfficer, reason: 'laptop lost' });
 * ```
 */
export interface RevokedKey {
  /** The revoked key's id. */
  keyId: string;
  /** When it was revoked (ISO time). */
  revokedAt: string;
  /** Who revoked it. */
  revokedBy: string;
  /** Why. */
  reason: string;
}
