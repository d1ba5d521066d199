import { createPrivateKey, createPublicKey } from 'node:crypto';
import * as z from 'zod';
import {
  countValidSignatures,
  type PrivateKeyInput,
  signBundleId,
  verifyBundleSignature,
} from '../../bundle/signatures.js';
import { NotFoundError, PolicyError, ValidationError } from '../../errors/errors.js';
import { Actor, type ActorInput } from '../../model/actor.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest, Reason } from '../../model/primitives.js';
import { BundleSignature, KeyId, RevokedKey } from '../../model/signature.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, listAll, readBundle } from '../../runtime/records.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { listEnvironments } from '../commands/environments.js';

/** Input of `bundles.sign`. */
export interface SignBundleInput {
  /** The key's id, as policies pin it. */
  keyId: string;
  /** An ed25519 private key (PEM or KeyObject). It is used here and never stored. */
  privateKey: PrivateKeyInput;
  /** Who signs; journaled. */
  by: ActorInput;
}

/**
 * Input of `bundles.revokeKey`.
 *
 * @example
 * ```ts
 * const input: RevokeKeyInput = { by: securityOfficer, reason: 'the laptop holding it was stolen' };
 * ```
 */
export interface RevokeKeyInput {
  /** Who revokes; journaled. */
  by: ActorInput;
  /** Why the key is taken out of service; journaled. */
  reason: string;
}

const SignOptions = z.object({ keyId: KeyId, by: Actor }).strict();
const RevokeOptions = z.object({ by: Actor, reason: Reason }).strict();

/**
 * Signs a stored bundle with an ed25519 key and records the detached signature. When an
 * environment here pins `keyId`, the private key must be its pair (else the signature is refused
 * and nothing is stored); a key id pinned nowhere here is accepted (a design site signs for the
 * production site that pins it). Signing again with the same key is idempotent (ed25519 signatures
 * are deterministic).
 * @internal
 */
export async function signBundle(
  context: EngineContext,
  rawId: string,
  input: SignBundleInput,
): Promise<BundleSignature> {
  const id = parseInput(Digest, rawId, 'bundles.sign id');
  const { keyId, by } = parseInput(SignOptions, { keyId: input?.keyId, by: input?.by }, 'bundles.sign');
  if (!(await readBundle(context, id))) throw new NotFoundError('bundle', id);
  const signature = signBundleId(id, { keyId, privateKey: input.privateKey, at: nowIso(context), signedBy: by.id });
  // The signer holds the private key: a key id pinned nowhere here (a design site signing for
  // production) is accepted, verified against the key's own public half.
  return storeSignature(context, signature, by, { [keyId]: publicHalf(input.privateKey) });
}

/**
 * Records a signature made elsewhere (received from another site or an archive). It is verified
 * when it arrives: it must verify under a key pinned as `keyId` by some environment (or, for an
 * archive, among `trusted`), and the key must not be revoked; otherwise it is refused and nothing
 * is stored, so a pusher cannot squat a key id's slot with a bad signature.
 * @internal
 */
export async function receiveSignature(
  context: EngineContext,
  input: unknown,
  by: ActorInput,
  trusted: Readonly<Record<string, string>> = {},
): Promise<BundleSignature> {
  const signature = parseInput(BundleSignature, input, 'signature');
  if (!(await readBundle(context, signature.bundleId)))
    throw new NotFoundError('bundle', signature.bundleId, 'Send the bundle before its signatures.');
  return storeSignature(context, signature, parseInput(Actor, by, 'signature by'), trusted);
}

function publicHalf(privateKey: PrivateKeyInput): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * The public keys environments pin under a key id; when none does, the caller's `fallback` (keys an
 * archive's importer trusts, or the signer's own key).
 */
async function pinnedKeys(context: EngineContext, keyId: string, fallback: Readonly<Record<string, string>>) {
  const keys = new Set<string>();
  for (const environment of await listEnvironments(context)) {
    const pem = environment.definition.policy.signatures.keys[keyId];
    if (pem !== undefined) keys.add(pem);
  }
  if (keys.size === 0 && fallback[keyId] !== undefined) keys.add(fallback[keyId]);
  return [...keys];
}

function refuse(signature: BundleSignature, by: Actor, reason: 'revoked' | 'unknown-key' | 'invalid', message: string) {
  return new PolicyError('signatures', message, {
    actor: by.id,
    ...(by.via ? { via: by.via } : {}),
    bundleId: signature.bundleId,
    keyId: signature.keyId,
    reason,
  });
}

/**
 * Why a signature arriving here would be refused (its key is revoked, pinned nowhere, or it does
 * not verify under the pinned key), or `undefined` with the keys it verifies under.
 * @internal
 */
export async function signatureRefusal(
  context: EngineContext,
  signature: BundleSignature,
  by: Actor,
  trusted: Readonly<Record<string, string>> = {},
): Promise<{ refusal: PolicyError; keys?: undefined } | { refusal?: undefined; keys: string[] }> {
  const { keyId, bundleId } = signature;
  const revoked = await context.store.get(KIND.revokedKey, keyId);
  if (revoked) {
    const { reason } = RevokedKey.parse(revoked.value);
    return {
      refusal: refuse(
        signature,
        by,
        'revoked',
        `Key "${keyId}" was revoked (${reason}); its signatures are refused. Sign with a current key.`,
      ),
    };
  }
  const keys = await pinnedKeys(context, keyId, trusted);
  if (keys.length === 0) {
    return {
      refusal: refuse(
        signature,
        by,
        'unknown-key',
        `No environment pins a key "${keyId}", so a signature made with it cannot be verified and is refused. Pin its public key in an environment's policy.signatures.keys first.`,
      ),
    };
  }
  if (!keys.some((pem) => verifyBundleSignature(signature, bundleId, pem))) {
    return {
      refusal: refuse(
        signature,
        by,
        'invalid',
        `The signature of ${bundleId} by "${keyId}" does not verify under the key pinned as "${keyId}"; it was made with another key. Nothing was recorded.`,
      ),
    };
  }
  return { keys };
}

async function storeSignature(
  context: EngineContext,
  signature: BundleSignature,
  by: Actor,
  trusted: Readonly<Record<string, string>>,
): Promise<BundleSignature> {
  const { keyId, bundleId } = signature;
  const { refusal, keys } = await signatureRefusal(context, signature, by, trusted);
  if (refusal) throw refusal;
  const verifies = (candidate: BundleSignature) => keys.some((pem) => verifyBundleSignature(candidate, bundleId, pem));
  const slot = `${bundleId}/${keyId}`;
  const existing = await context.store.get(KIND.signature, slot);
  const stored = existing ? BundleSignature.parse(existing.value) : undefined;
  if (stored?.signature === signature.signature) return stored;
  // A recorded signature that no longer verifies (its key was re-pinned) gives way to one that does.
  if (stored && verifies(stored)) {
    throw new ValidationError(`Bundle ${bundleId} already has a different valid signature by key "${keyId}".`, {
      details: { bundleId, keyId, actor: by.id },
    });
  }
  await new UnitOfWork(context)
    .put(KIND.signature, slot, existing?.version ?? null, signature)
    .journal({
      at: nowIso(context),
      actor: by,
      type: 'bundle.signed',
      subject: { kind: KIND.bundle, id: bundleId },
      data: { keyId, ...(stored ? { replaced: true } : {}) },
    })
    .commit();
  return signature;
}

/**
 * Revokes a bundle-signing key: from now on no signature made with it counts, for any environment,
 * and new ones are refused. Journaled as `bundle.key-revoked`; revoking again changes nothing.
 * @internal
 */
export async function revokeKey(context: EngineContext, rawKeyId: string, input: RevokeKeyInput): Promise<RevokedKey> {
  const keyId = parseInput(KeyId, rawKeyId, 'bundles.revokeKey keyId');
  const { by, reason } = parseInput(RevokeOptions, input, 'bundles.revokeKey');
  const existing = await context.store.get(KIND.revokedKey, keyId);
  if (existing) return RevokedKey.parse(existing.value);
  const revoked: RevokedKey = { keyId, revokedAt: nowIso(context), revokedBy: by.id, reason };
  await new UnitOfWork(context)
    .put(KIND.revokedKey, keyId, null, revoked)
    .journal({
      at: revoked.revokedAt,
      actor: by,
      type: 'bundle.key-revoked',
      subject: { kind: KIND.revokedKey, id: keyId },
      reason,
      data: { keyId },
    })
    .commit();
  return revoked;
}

/** The signatures recorded for a bundle. @internal */
export async function bundleSignatures(context: EngineContext, bundleId: string): Promise<BundleSignature[]> {
  return (await listAll(context, KIND.signature, BundleSignature, `${bundleId}/`)).map((row) => row.value);
}

/**
 * Checks a bundle's recorded signatures against pinned keys: which keys signed validly, which are
 * revoked (their signatures do not count), and how many more are needed.
 * @internal
 */
export async function signatureStatus(
  context: EngineContext,
  bundleId: string,
  policy: { required: number; keys: Record<string, string> },
): Promise<{ valid: string[]; invalid: string[]; revoked: string[]; missing: number }> {
  if (policy.required === 0) return { valid: [], invalid: [], revoked: [], missing: 0 };
  const signatures = await bundleSignatures(context, bundleId);
  const revoked: string[] = [];
  const keys: Record<string, string> = {};
  for (const [keyId, pem] of Object.entries(policy.keys)) {
    if (await context.store.get(KIND.revokedKey, keyId)) revoked.push(keyId);
    else keys[keyId] = pem;
  }
  const { valid, invalid } = countValidSignatures(signatures, bundleId, keys);
  const revokedSigners = revoked.filter((keyId) => signatures.some((signature) => signature.keyId === keyId));
  return { valid, invalid, revoked: revokedSigners, missing: Math.max(0, policy.required - valid.length) };
}
