import { generateKeyPairSync } from 'node:crypto';
import { signBundleId } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { bake, createBundle, createWorld, designer, operator, requester, type World } from './fixtures.js';

async function journalLength(world: World): Promise<number> {
  let count = 0;
  for await (const _ of world.railyard.journal.read({})) count++;
  return count;
}

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

async function signedWorld(required: number) {
  const world = await createWorld();
  const release = keyPair();
  const security = keyPair();
  const production = (await world.railyard.environments.get('production'))!;
  await world.railyard.environments.define({
    ...production.definition,
    policy: {
      ...production.definition.policy,
      signatures: { required, keys: { release: release.publicKey, security: security.publicKey } },
    },
  });
  const bundle = await createBundle(world.railyard, '1.0.0');
  await world.railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
  await world.railyard.settle();
  return { ...world, bundle, release, security };
}

describe('signatures', () => {
  it('refuses a promotion until the bundle carries the threshold of signatures from pinned keys', async () => {
    const world = await signedWorld(2);
    const { railyard, bundle, release, security } = world;
    await expect(railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).rejects.toMatchObject({
      rule: 'signatures',
      details: { valid: [], required: 2 },
    });
    await railyard.bundles.sign(bundle.id, { keyId: 'release', privateKey: release.privateKey, by: designer });
    await expect(railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).rejects.toMatchObject({
      details: { valid: ['release'] },
    });
    // A signature under a pinned id but made with another key is refused when it arrives.
    const impostor = keyPair();
    const other = await createBundle(railyard, '0.9.0');
    await expect(
      railyard.bundles.sign(other.id, { keyId: 'security', privateKey: impostor.privateKey, by: designer }),
    ).rejects.toMatchObject({
      rule: 'signatures',
      details: { reason: 'invalid', actor: 'designer', keyId: 'security' },
    });
    expect(await railyard.bundles.signatures(other.id)).toHaveLength(0);
    await railyard.bundles.sign(bundle.id, { keyId: 'security', privateKey: security.privateKey, by: operator });
    const again = await railyard.bundles.sign(bundle.id, {
      keyId: 'security',
      privateKey: security.privateKey,
      by: operator,
    });
    expect((await railyard.bundles.signatures(bundle.id)).map((s) => s.keyId).sort()).toEqual(['release', 'security']);
    expect(again.algorithm).toBe('ed25519');
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    await railyard.approve(deployment.id, { by: operator });
    await bake(world);
    expect((await railyard.deployment(deployment.id))?.status).toBe('active');
  });

  it('refuses a pushed signature that does not verify, so it cannot squat the key id’s slot', async () => {
    const world = await signedWorld(1);
    const { railyard, bundle, release } = world;
    const pusher = { id: 'design-site', roles: [] };
    const forged = signBundleId(bundle.id, {
      keyId: 'release',
      privateKey: keyPair().privateKey,
      at: world.clock.now().toISOString(),
    });
    const journal = await journalLength(world);
    await expect(railyard.site.putSignature(forged, pusher)).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      rule: 'signatures',
      details: { reason: 'invalid', actor: 'design-site', keyId: 'release', bundleId: bundle.id },
    });
    expect(await railyard.bundles.signatures(bundle.id)).toEqual([]);
    expect(await journalLength(world)).toBe(journal);
    // The real signature still takes the slot.
    const real = signBundleId(bundle.id, {
      keyId: 'release',
      privateKey: release.privateKey,
      at: world.clock.now().toISOString(),
    });
    await railyard.site.putSignature(real, pusher);
    expect(await railyard.bundles.signatures(bundle.id)).toEqual([real]);
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    expect(deployment.status).toBe('awaiting_approval');
  });

  it('refuses a pushed signature by a key id no environment pins', async () => {
    const world = await signedWorld(1);
    const stray = signBundleId(world.bundle.id, {
      keyId: 'stray',
      privateKey: keyPair().privateKey,
      at: world.clock.now().toISOString(),
    });
    await expect(world.railyard.site.putSignature(stray, { id: 'design-site', roles: [] })).rejects.toMatchObject({
      rule: 'signatures',
      details: { reason: 'unknown-key', keyId: 'stray', actor: 'design-site' },
    });
    expect(await world.railyard.bundles.signatures(world.bundle.id)).toEqual([]);
  });

  it('stops counting a revoked key’s signatures, refuses new ones, journals the revocation, and rotates to a new key', async () => {
    const world = await signedWorld(1);
    const { railyard, bundle, release } = world;
    await railyard.bundles.sign(bundle.id, { keyId: 'release', privateKey: release.privateKey, by: designer });
    const security = { id: 'sec-officer', roles: ['security'] };
    const revoked = await railyard.bundles.revokeKey('release', { by: security, reason: 'key leaked' });
    expect(revoked).toMatchObject({ keyId: 'release', revokedBy: 'sec-officer', reason: 'key leaked' });
    expect(await railyard.bundles.revokeKey('release', { by: security, reason: 'again' })).toEqual(revoked);
    const entries = [];
    for await (const entry of railyard.journal.read({})) if (entry.type === 'bundle.key-revoked') entries.push(entry);
    expect(entries).toEqual([
      expect.objectContaining({ actor: security, reason: 'key leaked', data: { keyId: 'release' } }),
    ]);
    await expect(railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).rejects.toMatchObject({
      rule: 'signatures',
      details: { valid: [], revoked: ['release'], actor: 'requester' },
    });
    const other = await createBundle(railyard, '1.0.1');
    await expect(
      railyard.bundles.sign(other.id, { keyId: 'release', privateKey: release.privateKey, by: designer }),
    ).rejects.toMatchObject({ rule: 'signatures', details: { reason: 'revoked' } });
    // Rotation: pin a new key under a new id, sign with it.
    const next = keyPair();
    const production = (await railyard.environments.get('production'))!;
    const { signatures } = production.definition.policy;
    await railyard.environments.define({
      ...production.definition,
      policy: {
        ...production.definition.policy,
        signatures: { ...signatures, keys: { ...signatures.keys, 'release-2': next.publicKey } },
      },
    });
    await railyard.bundles.sign(bundle.id, { keyId: 'release-2', privateKey: next.privateKey, by: designer });
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    expect(deployment.status).toBe('awaiting_approval');
  });

  it('fails an approved deployment in preflight when its only signing key is revoked', async () => {
    const world = await signedWorld(1);
    const { railyard, bundle, release } = world;
    await railyard.bundles.sign(bundle.id, { keyId: 'release', privateKey: release.privateKey, by: designer });
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    await railyard.approve(deployment.id, { by: operator });
    await railyard.bundles.revokeKey('release', { by: operator, reason: 'compromised' });
    await railyard.settle();
    expect(await railyard.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'signatures', reason: expect.stringContaining('revoked keys: release') },
    });
    expect((await railyard.environments.get('production'))?.active).toBeNull();
  });

  it('fails in preflight when the policy starts requiring signatures after approval', async () => {
    const world = await createWorld();
    const { railyard } = world;
    const bundle = await createBundle(railyard, '1.0.0');
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    await railyard.approve(deployment.id, { by: operator });
    const production = (await railyard.environments.get('production'))!;
    await railyard.environments.define({
      ...production.definition,
      policy: { ...production.definition.policy, signatures: { required: 1, keys: { release: keyPair().publicKey } } },
    });
    await railyard.settle();
    expect(await railyard.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      failure: {
        code: 'signatures',
        reason: expect.stringContaining('needs 1 signature(s) from its pinned keys (release)'),
      },
    });
  });

  it('refuses keys that are not ed25519, and a threshold above the pinned keys', async () => {
    const world = await signedWorld(1);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await expect(
      world.railyard.bundles.sign(world.bundle.id, { keyId: 'release', privateKey, by: designer }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      world.railyard.environments.define({ id: 'qa', policy: { signatures: { required: 2, keys: { a: 'x' } } } }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
