import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { ValidationError } from '../errors/errors.js';
import type { BundleSignature } from '../model/signature.js';

/** A private key as callers pass it: a KeyObject, or PEM text. */
export type PrivateKeyInput = KeyObject | string;
/** A public key as policies pin it: PEM text (SPKI), or a KeyObject. */
export type PublicKeyInput = KeyObject | string;

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ValidationError(
      `${what} is a ${key.asymmetricKeyType ?? 'symmetric'} key; Railyard signs bundles with ed25519 keys only.`,
    );
  }
  return key;
}

/** @internal */
export function privateKeyOf(input: PrivateKeyInput): KeyObject {
  try {
    return ed25519(typeof input === 'string' ? createPrivateKey(input) : input, 'The signing key');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(
      'The signing key is not a PEM private key (generate one with generateKeyPairSync("ed25519")).',
      { cause: error },
    );
  }
}

/** @internal */
export function publicKeyOf(input: PublicKeyInput, keyId: string): KeyObject {
  try {
    return ed25519(typeof input === 'string' ? createPublicKey(input) : input, `Pinned key "${keyId}"`);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`Pinned key "${keyId}" is not a PEM public key.`, { cause: error });
  }
}

/**
 * Signs a bundle id with an ed25519 private key: a detached signature over the UTF-8 bytes of the id.
 *
 * @example
 * ```ts
 * const { privateKey } = generateKeyPairSync('ed25519');
 * const signature = signBundleId(bundle.id, { keyId: 'release', privateKey, at: new Date().toISOString() });
 * ```
 */
export function signBundleId(
  bundleId: string,
  options: { keyId: string; privateKey: PrivateKeyInput; at: string; signedBy?: string },
): BundleSignature {
  const bytes = sign(null, Buffer.from(bundleId, 'utf8'), privateKeyOf(options.privateKey));
  return {
    bundleId,
    keyId: options.keyId,
    algorithm: 'ed25519',
    signature: bytes.toString('base64'),
    signedAt: options.at,
    ...(options.signedBy ? { signedBy: options.signedBy } : {}),
  };
}

/**
 * Whether a signature is valid for a bundle id under a public key.
 *
 * @example
 * ```ts
 * verifyBundleSignature(signature, bundle.id, publicKeyPem); // true
 * ```
 */
export function verifyBundleSignature(
  signature: BundleSignature,
  bundleId: string,
  publicKey: PublicKeyInput,
): boolean {
  if (signature.bundleId !== bundleId || signature.algorithm !== 'ed25519') return false;
  return verify(
    null,
    Buffer.from(bundleId, 'utf8'),
    publicKeyOf(publicKey, signature.keyId),
    Buffer.from(signature.signature, 'base64'),
  );
}

/**
 * Counts the distinct pinned keys with a valid signature over the bundle id; signatures by unknown
 * keys, or that do not verify, do not count.
 *
 * @example
 * ```ts
 * const { valid } = countValidSignatures(signatures, bundle.id, policy.signatures.keys);
 * ```
 */
export function countValidSignatures(
  signatures: readonly BundleSignature[],
  bundleId: string,
  pinned: Readonly<Record<string, string>>,
): { valid: string[]; invalid: string[] } {
  const valid = new Set<string>();
  const invalid = new Set<string>();
  for (const signature of signatures) {
    const key = pinned[signature.keyId];
    if (key === undefined) continue;
    if (verifyBundleSignature(signature, bundleId, key)) valid.add(signature.keyId);
    else invalid.add(signature.keyId);
  }
  return { valid: [...valid], invalid: [...invalid].filter((id) => !valid.has(id)) };
}
