import { ArchiveError } from '../../errors/errors.js';
import { BundleSignature } from '../../model/signature.js';
import { countValidSignatures } from '../signatures.js';
import { NOTHING_IMPORTED, signatureEntryName } from './format.js';

/**
 * Reads `signatures/<keyId>.json`: a {@link BundleSignature} by that key over this archive's bundle
 * id. Anything else is refused, so a signature can never be moved to another bundle or key.
 * @internal
 *
 * @example
 * ```ts
 * const signature = parseSignatureEntry(bytes, 'release', bundleId);
 * ```
 */
export function parseSignatureEntry(bytes: Uint8Array, keyId: string, bundleId: string): BundleSignature {
  const entry = signatureEntryName(keyId);
  let parsed: ReturnType<typeof BundleSignature.safeParse>;
  try {
    parsed = BundleSignature.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch (error) {
    throw new ArchiveError(
      'signature-invalid',
      `Archive entry "${entry}" is not JSON. ${NOTHING_IMPORTED}`,
      { entry },
      {
        cause: error,
      },
    );
  }
  if (!parsed.success) {
    throw new ArchiveError(
      'signature-invalid',
      `Archive entry "${entry}" is not a bundle signature (${parsed.error.issues[0]?.message}). ${NOTHING_IMPORTED}`,
      { entry },
    );
  }
  const signature = parsed.data;
  if (signature.keyId !== keyId || signature.bundleId !== bundleId) {
    throw new ArchiveError(
      'signature-invalid',
      `Archive entry "${entry}" holds a signature by "${signature.keyId}" over ${signature.bundleId}, but the archive holds bundle ${bundleId}: signatures cannot be moved between bundles or keys. ${NOTHING_IMPORTED}`,
      { entry, keyId: signature.keyId, bundleId: signature.bundleId },
    );
  }
  return signature;
}

/**
 * Checks an archive's signatures against the importer's trusted keys, before the manifest is parsed:
 * a signature by a trusted key that does not verify is refused outright, and fewer than `required`
 * valid signatures from distinct trusted keys is refused. Signatures by other keys are kept but
 * do not count.
 * @internal
 *
 * @example
 * ```ts
 * checkArchiveSignatures(signatures, bundleId, { required: 1, trustedKeys: { release: pem } });
 * ```
 */
export function checkArchiveSignatures(
  signatures: readonly BundleSignature[],
  bundleId: string,
  policy: { required: number; trustedKeys: Readonly<Record<string, string>> },
): void {
  const { valid, invalid } = countValidSignatures(signatures, bundleId, policy.trustedKeys);
  if (invalid.length > 0) {
    throw new ArchiveError(
      'signature-invalid',
      `The archive's signatures by trusted key(s) ${invalid.map((k) => `"${k}"`).join(', ')} do not verify over bundle ${bundleId}: the bundle or its signatures were altered, or signed with another key than the one you trust. ${NOTHING_IMPORTED}`,
      { bundleId, invalid, valid },
    );
  }
  if (valid.length < policy.required) {
    const present = signatures.map((s) => s.keyId);
    throw new ArchiveError(
      'signatures-missing',
      `Bundle ${bundleId} carries ${valid.length} valid signature(s) from trusted keys, ${policy.required} required (signatures present: ${present.length ? present.join(', ') : 'none'}). Sign it on the source site with bundles.sign and export it again.`,
      { bundleId, valid, required: policy.required, present },
    );
  }
}
