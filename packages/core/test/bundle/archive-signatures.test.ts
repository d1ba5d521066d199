import { signBundleId } from '@railyard/core';
import { ArchiveError, type RailyardError } from '@railyard/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '#internal/bundle/canonical-json.js';
import {
  bytes,
  collect,
  createSite,
  designBundle,
  keyPair,
  type Part,
  packParts,
  type Site,
  sha256,
  snapshot,
  withManifest,
} from './archive-helpers.js';

type Design = Awaited<ReturnType<typeof designBundle>>;
let design: Design;
beforeAll(async () => {
  design = await designBundle();
});

function signaturePart(bundleId: string, keyId: string, privateKey = keyPair().privateKey): Part {
  const signature = signBundleId(bundleId, { keyId, privateKey, at: '2026-03-02T09:00:00.000Z' });
  return { name: `signatures/${keyId}.json`, content: bytes(canonicalJson(signature)) };
}

/** Replaces the manifest with bytes that are not JSON at all, keeping header and bytes consistent. */
function garbageManifest(signWith?: Parameters<typeof signaturePart>[2]): Part[] {
  const garbage = bytes('this is not json {');
  const id = sha256(garbage);
  const [, , , ...blobs] = design.parts;
  return [
    { name: 'railyard-archive.json', content: bytes(canonicalJson({ format: 'railyard.archive/v1', bundleId: id })) },
    { name: 'manifest.json', content: garbage },
    ...(signWith ? [signaturePart(id, 'release', signWith)] : []),
    ...blobs,
  ];
}

async function refusal(site: Site, archive: Uint8Array, options: object): Promise<RailyardError> {
  const before = await snapshot(site);
  const error = await site.import(archive, options).then(
    () => null,
    (e: unknown) => e as RailyardError,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  expect(await snapshot(site)).toEqual(before);
  return error!;
}

describe('archive signatures', () => {
  it('refuses an unsigned archive when signatures are required', async () => {
    const unsigned = await collect(await design.site.railyard.bundles.export(design.bundle.id, { signatures: false }));
    const error = await refusal(await createSite(), unsigned, {
      trustedKeys: { release: design.release.publicKey },
      requireSignatures: 1,
    });
    expect(error.details).toMatchObject({ reason: 'signatures-missing', valid: [], required: 1 });
  });

  it('refuses a signature by a trusted key id that does not verify, required or not', async () => {
    const forged = design.parts.map((p) =>
      p.name === 'signatures/release.json' ? signaturePart(design.bundle.id, 'release') : p,
    );
    const archive = await packParts(forged);
    for (const requireSignatures of [1, 0]) {
      const error = await refusal(await createSite(), archive, {
        trustedKeys: { release: design.release.publicKey },
        requireSignatures,
      });
      expect(error.details).toMatchObject({ reason: 'signature-invalid', invalid: ['release'] });
    }
  });

  it('verifies signatures before it parses the manifest', async () => {
    const trustedKeys = { release: design.release.publicKey };
    // Unsigned garbage is refused for its missing signature: the parser never saw it.
    const unsigned = await packParts(garbageManifest());
    expect((await refusal(await createSite(), unsigned, { trustedKeys, requireSignatures: 1 })).details.reason).toBe(
      'signatures-missing',
    );
    // The same bytes with a valid signature get as far as the parser, which refuses them.
    const signed = await packParts(garbageManifest(design.release.privateKey));
    expect((await refusal(await createSite(), signed, { trustedKeys, requireSignatures: 1 })).details.reason).toBe(
      'invalid-manifest',
    );
  });

  it('does not record signatures by keys it neither trusts nor pins', async () => {
    const extra = signaturePart(design.bundle.id, 'partner');
    const [header, manifest, release, ...blobs] = design.parts;
    const archive = await packParts([header!, manifest!, extra, release!, ...blobs]);
    const target = await createSite();
    await target.import(archive, { trustedKeys: { release: design.release.publicKey }, requireSignatures: 1 });
    expect((await target.railyard.bundles.signatures(design.bundle.id)).map((s) => s.keyId)).toEqual(['release']);
    const onlyPartner = await packParts([header!, manifest!, extra, ...blobs]);
    const error = await refusal(await createSite(), onlyPartner, {
      trustedKeys: { release: design.release.publicKey },
      requireSignatures: 1,
    });
    expect(error.details).toMatchObject({ reason: 'signatures-missing', present: ['partner'] });
  });

  it('refuses a signature that differs from the one already recorded under the same key id', async () => {
    const target = await createSite();
    await target.import(design.archive, { trustedKeys: { release: design.release.publicKey } });
    const other = await packParts(
      design.parts.map((p) => (p.name === 'signatures/release.json' ? signaturePart(design.bundle.id, 'release') : p)),
    );
    expect((await refusal(target, other, {})).details.reason).toBe('signature-invalid');
  });

  it('refuses an archive holding another bundle than the one expected', async () => {
    const error = await refusal(await createSite(), design.archive, { expectedId: sha256('another manifest') });
    expect(error.details).toMatchObject({ reason: 'manifest-mismatch', actual: design.bundle.id });
  });

  it('re-signing is not possible by editing: a changed manifest invalidates every signature', async () => {
    const parts = withManifest(design.parts, (m) => ({ ...m, releaseNotes: 'Edited.' }));
    const moved = design.parts.find((p) => p.name === 'signatures/release.json')!;
    const [header, manifest, ...blobs] = parts;
    const error = await refusal(await createSite(), await packParts([header!, manifest!, moved, ...blobs]), {});
    expect(error.details.reason).toBe('signature-invalid');
  });
});
