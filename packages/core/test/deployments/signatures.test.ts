import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bake, createBundle, createWorld, designer, operator, requester } from './fixtures.js';

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
    // A signature under a pinned id but made with another key does not count.
    const impostor = keyPair();
    const other = await createBundle(railyard, '0.9.0');
    await railyard.bundles.sign(other.id, { keyId: 'security', privateKey: impostor.privateKey, by: designer });
    expect(await railyard.bundles.signatures(other.id)).toHaveLength(1);
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

  it('rejects a signature made with a wrong key for a pinned id', async () => {
    const world = await signedWorld(1);
    const { railyard, bundle } = world;
    await railyard.bundles.sign(bundle.id, { keyId: 'release', privateKey: keyPair().privateKey, by: designer });
    await expect(railyard.promote({ bundle: bundle.id, to: 'production', by: requester })).rejects.toMatchObject({
      rule: 'signatures',
      details: { valid: [], invalid: ['release'] },
    });
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
