import { sign, verify } from 'node:crypto';
import { canonicalJson } from '../bundle/canonical-json.js';
import { type PrivateKeyInput, type PublicKeyInput, privateKeyOf, publicKeyOf } from '../bundle/signatures.js';
import { SignedCheckpoint } from '../model/checkpoint.js';

/** Domain separation: a checkpoint signature can never be replayed as a bundle signature or vice versa. */
const DOMAIN = 'railyard-journal-checkpoint:v1\n';

function message(checkpoint: Omit<SignedCheckpoint, 'signature'>): Buffer {
  const { format, seq, hash, from, hashes, at, keyId, algorithm } = checkpoint;
  return Buffer.from(DOMAIN + canonicalJson({ format, seq, hash, from, hashes, at, keyId, algorithm }), 'utf8');
}

/**
 * Signs the hashes of journal entries `from` … the last one with an ed25519 private key.
 * @internal
 *
 * @example
 * ```ts
 * const checkpoint = signCheckpoint({ from: 1, hashes, at, keyId: 'journal', privateKey });
 * ```
 */
export function signCheckpoint(input: {
  from: number;
  hashes: string[];
  at: string;
  keyId: string;
  privateKey: PrivateKeyInput;
}): SignedCheckpoint {
  const unsigned = {
    format: 1 as const,
    seq: input.from + input.hashes.length - 1,
    hash: input.hashes.at(-1) ?? '',
    from: input.from,
    hashes: input.hashes,
    at: input.at,
    keyId: input.keyId,
    algorithm: 'ed25519' as const,
  };
  const signature = sign(null, message(unsigned), privateKeyOf(input.privateKey)).toString('base64');
  return { ...unsigned, signature };
}

/**
 * The checkpoint, parsed, when `value` is a well-formed checkpoint whose signature holds under
 * `publicKey`; otherwise why not.
 * @internal
 *
 * @example
 * ```ts
 * const checked = checkSignedCheckpoint(value, publicKeyPem);
 * if (!checked.ok) console.error(checked.reason);
 * ```
 */
export function checkSignedCheckpoint(
  value: unknown,
  publicKey: PublicKeyInput,
): { ok: true; checkpoint: SignedCheckpoint } | { ok: false; seq: number; reason: string } {
  const parsed = SignedCheckpoint.safeParse(value);
  const seq = (value as { seq?: unknown } | null)?.seq;
  const at = typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : 0;
  if (!parsed.success) return { ok: false, seq: at, reason: `malformed: ${parsed.error.issues[0]?.message}` };
  const checkpoint = parsed.data;
  const key = publicKeyOf(publicKey, 'journal checkpoint key');
  const valid = verify(null, message(checkpoint), key, Buffer.from(checkpoint.signature, 'base64'));
  return valid
    ? { ok: true, checkpoint }
    : { ok: false, seq: at, reason: 'its signature does not verify under the configured public key' };
}
