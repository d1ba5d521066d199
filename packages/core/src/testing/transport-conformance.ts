import { createHash, generateKeyPairSync } from 'node:crypto';
import { bundleId } from '../bundle/bundle-id.js';
import { signBundleId } from '../bundle/signatures.js';
import type { Transport } from '../contracts/transport.js';
import { AdapterError } from '../errors/errors.js';
import type { ActorInput } from '../model/actor.js';
import type { BundleManifest } from '../model/bundle.js';
import type { Railyard } from '../railyard/create-railyard.js';
import { type ConformanceFramework, caught, codeOf } from './framework.js';

/** A transport to a fresh remote site, for one test. */
export interface TransportUnderTest {
  /** The transport under test. */
  transport: Transport;
  /** The remote site itself, probed directly (never through the transport). */
  remote: Railyard;
  /** The environment on the remote site that promotions through this transport may target. */
  environment: string;
  /** Who asks for the promotions (what the remote site records as requester may differ by transport). */
  requester: ActorInput;
  /** Removes whatever `create` set up. */
  cleanup?(): Promise<void>;
}

/** What {@link runTransportConformance} needs to know about the transport. */
export interface TransportConformanceOptions {
  /** Shown in the suite's name. */
  name: string;
  /** Creates a remote site with `environment` defined, and a transport to it; called once per test. */
  create(): Promise<TransportUnderTest>;
}

const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const text = (value: string) => new TextEncoder().encode(value);

/** A manifest over the given files (their bytes are not sent by this helper). */
function manifestOf(files: Record<string, Uint8Array>, version: string): BundleManifest {
  return {
    schema: 'railyard.bundle/v1',
    project: 'conformance',
    version,
    entries: Object.entries(files)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, bytes]) => ({ path, size: bytes.byteLength, digest: sha(bytes) })),
    requirements: { variables: [], connections: [], stepTypes: [] },
    releaseNotes: '',
    scenarios: [],
    createdBy: 'conformance-author',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * Registers the conformance cases every {@link Transport} must pass against a real remote site:
 * only missing blobs are reported, pushed bytes are verified (nothing stored on a mismatch), a
 * manifest is refused until its blobs are there, signatures arrive, a promotion with an idempotency
 * key happens once, remote deployments are read back (unknown ids are `null`), and typed errors keep
 * their code across the wire.
 *
 * @example
 * ```ts
 * runTransportConformance({ describe, it, expect, beforeEach, afterEach }, {
 *   name: 'memory',
 *   async create() {
 *     const remote = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
 *     await remote.environments.define({ id: 'production' });
 *     return { transport: memoryTransport(remote), remote, environment: 'production', requester: { id: 'ci', roles: [] } };
 *   },
 * });
 * ```
 */
export function runTransportConformance(framework: ConformanceFramework, options: TransportConformanceOptions): void {
  const { describe, it, expect, beforeEach, afterEach } = framework;
  let current: TransportUnderTest | undefined;
  const ctx = (): TransportUnderTest => {
    if (!current)
      throw new AdapterError(
        'transport conformance: no transport to test: create() failed (see its error) or the framework did not run beforeEach.',
      );
    return current;
  };
  const files: Record<string, Uint8Array> = { 'a.txt': text('alpha'), 'b.txt': text('bravo') };
  const push = async (version = '1.0.0', contents = files) => {
    const { transport } = ctx();
    for (const bytes of Object.values(contents))
      await transport.pushBlob({ digest: sha(bytes), size: bytes.byteLength }, bytes);
    const manifest = manifestOf(contents, version);
    return { manifest, id: (await transport.pushBundle(manifest)).id };
  };

  describe(`Transport conformance: ${options.name}`, () => {
    beforeEach(async () => {
      current = await options.create();
    });
    afterEach(async () => {
      const done = current;
      current = undefined;
      await done?.transport.close?.();
      await done?.cleanup?.();
    });

    it('reports exactly the blobs the remote site lacks', async () => {
      const { transport, remote } = ctx();
      const [a, b] = [files['a.txt'] as Uint8Array, files['b.txt'] as Uint8Array];
      expect((await transport.missingBlobs([sha(a), sha(b)])).sort()).toEqual([sha(a), sha(b)].sort());
      await transport.pushBlob({ digest: sha(a), size: a.byteLength }, a);
      expect(await transport.missingBlobs([sha(a), sha(b)])).toEqual([sha(b)]);
      expect(await remote.site.missingBlobs([sha(a)])).toEqual([]);
    });

    it('refuses bytes that do not match their digest, and stores nothing', async () => {
      const { transport, remote } = ctx();
      const claimed = sha(text('the real content'));
      const error = await caught(expect, () => transport.pushBlob({ digest: claimed, size: 5 }, text('forge')));
      expect(codeOf(error)).toBe('BLOB_INTEGRITY');
      expect(await remote.site.missingBlobs([claimed, sha(text('forge'))])).toEqual([claimed, sha(text('forge'))]);
    });

    it('refuses a manifest whose blobs are not there yet, then takes it with the same id', async () => {
      const { transport, remote } = ctx();
      const manifest = manifestOf(files, '1.0.0');
      expect(codeOf(await caught(expect, () => transport.pushBundle(manifest)))).toBe('BLOB_INTEGRITY');
      expect(await remote.bundles.get(bundleId(manifest))).toBe(null);
      const { id } = await push();
      expect(id).toBe(bundleId(manifest));
      expect((await remote.bundles.get(id))?.manifest.version).toBe('1.0.0');
    });

    it('delivers signatures of a bundle the remote site holds, and a forged one is refused, not stored', async () => {
      const { transport, remote } = ctx();
      const { id } = await push();
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      // The remote site verifies a signature against the key it pins under that id when it arrives.
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      await remote.environments.define({
        id: 'conformance-signing',
        policy: { signatures: { keys: { release: pem } } },
      });
      const at = '2026-01-01T00:00:00.000Z';
      const forged = signBundleId(id, { keyId: 'release', privateKey: generateKeyPairSync('ed25519').privateKey, at });
      const refused = await caught(expect, () => transport.pushSignature(forged));
      expect(codeOf(refused)).toBe('POLICY_DENIED');
      expect(await remote.bundles.signatures(id)).toEqual([]);
      await transport.pushSignature(signBundleId(id, { keyId: 'release', privateKey, at }));
      expect((await remote.bundles.signatures(id)).map((s) => s.keyId)).toEqual(['release']);
    });

    it('promotes once per idempotency key, and reads the remote deployment back', async () => {
      const { transport, environment, requester, remote } = ctx();
      const { id } = await push();
      const request = { bundleId: id, to: environment, by: requester, idempotencyKey: 'conformance-1' };
      const first = await transport.promote(request);
      const again = await transport.promote(request);
      expect(again.id).toBe(first.id);
      expect((await remote.history(environment)).length).toBe(1);
      const read = await transport.getDeployment(first.id);
      expect(read?.bundleId).toBe(id);
      expect(read?.status).toBe((await remote.deployment(first.id))?.status);
      const other = await push('1.1.0', { 'a.txt': text('alpha 2') });
      const conflict = await caught(expect, () => transport.promote({ ...request, bundleId: other.id }));
      expect(codeOf(conflict)).toBe('IDEMPOTENCY_CONFLICT');
    });

    it('answers null for a deployment the remote site does not know, and keeps error codes', async () => {
      const { transport, environment, requester } = ctx();
      expect(await transport.getDeployment(`${environment}/999999`)).toBe(null);
      const missing = await caught(expect, () =>
        transport.promote({
          bundleId: sha(text('no such bundle')),
          to: environment,
          by: requester,
          idempotencyKey: 'conformance-2',
        }),
      );
      expect(codeOf(missing)).toBe('NOT_FOUND');
    });
  });
}
