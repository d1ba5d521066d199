import * as z from 'zod';
import { countValidSignatures, type PrivateKeyInput, signBundleId } from '../../bundle/signatures.js';
import { NotFoundError, ValidationError } from '../../errors/errors.js';
import { Actor, type ActorInput } from '../../model/actor.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest } from '../../model/primitives.js';
import { BundleSignature, KeyId } from '../../model/signature.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, listAll, readBundle } from '../../runtime/records.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';

/** Input of `bundles.sign`. */
export interface SignBundleInput {
  keyId: string;
  /** An ed25519 private key (PEM or KeyObject). It is used here and never stored. */
  privateKey: PrivateKeyInput;
  by: ActorInput;
}

const SignOptions = z.object({ keyId: KeyId, by: Actor }).strict();

/**
 * Signs a stored bundle with an ed25519 key and records the detached signature. Signing again
 * with the same key is idempotent (ed25519 signatures are deterministic).
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
  return storeSignature(context, signature, by);
}

/**
 * Records a signature made elsewhere (received from another site or an archive), after checking
 * its shape. Whether it counts is decided against each environment's pinned keys.
 * @internal
 */
export async function receiveSignature(
  context: EngineContext,
  input: unknown,
  by: ActorInput,
): Promise<BundleSignature> {
  const signature = parseInput(BundleSignature, input, 'signature');
  if (!(await readBundle(context, signature.bundleId)))
    throw new NotFoundError('bundle', signature.bundleId, 'Send the bundle before its signatures.');
  return storeSignature(context, signature, parseInput(Actor, by, 'signature by'));
}

async function storeSignature(context: EngineContext, signature: BundleSignature, by: Actor): Promise<BundleSignature> {
  const key = `${signature.bundleId}/${signature.keyId}`;
  const existing = await context.store.get(KIND.signature, key);
  if (existing) {
    const stored = BundleSignature.parse(existing.value);
    if (stored.signature === signature.signature) return stored;
    throw new ValidationError(
      `Bundle ${signature.bundleId} already has a different signature by key "${signature.keyId}".`,
    );
  }
  await new UnitOfWork(context)
    .put(KIND.signature, key, null, signature)
    .journal({
      at: nowIso(context),
      actor: by,
      type: 'bundle.signed',
      subject: { kind: KIND.bundle, id: signature.bundleId },
      data: { keyId: signature.keyId },
    })
    .commit();
  return signature;
}

/** The signatures recorded for a bundle. @internal */
export async function bundleSignatures(context: EngineContext, bundleId: string): Promise<BundleSignature[]> {
  return (await listAll(context, KIND.signature, BundleSignature, `${bundleId}/`)).map((row) => row.value);
}

/**
 * Checks a bundle's recorded signatures against pinned keys: which keys signed validly, and how
 * many more are needed.
 * @internal
 */
export async function signatureStatus(
  context: EngineContext,
  bundleId: string,
  policy: { required: number; keys: Record<string, string> },
): Promise<{ valid: string[]; invalid: string[]; missing: number }> {
  if (policy.required === 0) return { valid: [], invalid: [], missing: 0 };
  const { valid, invalid } = countValidSignatures(await bundleSignatures(context, bundleId), bundleId, policy.keys);
  return { valid, invalid, missing: Math.max(0, policy.required - valid.length) };
}
