import * as z from 'zod';
import { Digest, Timestamp } from './primitives.js';
import type * as T from './signature-types.js';

/** A key id: what names a signing key in policies and signatures (e.g. `release-2026`). */
export const KeyId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected a key id like "release-2026"');

/**
 * A detached ed25519 signature over a bundle's id (the UTF-8 bytes of `sha256:<hex>`), made with
 * the key named by `keyId`.
 *
 * @example
 * ```ts
 * const signature = await railyard.bundles.sign(bundle.id, { keyId: 'release', privateKey, by: releaseManager });
 * ```
 * @hidden
 */
export const BundleSignature = z
  .object({
    bundleId: Digest,
    keyId: KeyId,
    algorithm: z.literal('ed25519'),
    /** Base64 of the 64-byte signature. */
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'expected a base64 ed25519 signature'),
    signedAt: Timestamp,
    signedBy: z.string().min(1).optional(),
  })
  .strict() satisfies z.ZodType<T.BundleSignature>;
/** A detached ed25519 signature over a bundle's id. */
export type BundleSignature = T.BundleSignature;

/**
 * A bundle-signing key taken out of service: its signatures stop counting for every environment
 * from the moment it is revoked, and new signatures made with it are refused.
 *
 * @example
 * ```ts
 * const revoked = await railyard.bundles.revokeKey('release-2025', { by: securityOfficer, reason: 'laptop lost' });
 * ```
 * @hidden
 */
export const RevokedKey = z
  .object({
    keyId: KeyId,
    revokedAt: Timestamp,
    revokedBy: z.string().min(1),
    reason: z.string().min(1).max(2000),
  })
  .strict() satisfies z.ZodType<T.RevokedKey>;
/** A bundle-signing key taken out of service. */
export type RevokedKey = T.RevokedKey;
