import { isRailyardError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { createBundle, createWorld } from './fixtures.js';

describe('bundles.find', () => {
  it('finds a bundle by full id, by id prefix with or without sha256:, and by project@version', async () => {
    const { railyard } = await createWorld();
    const one = await createBundle(railyard, '1.0.0');
    const two = await createBundle(railyard, '1.1.0');
    expect((await railyard.bundles.find(one.id)).id).toBe(one.id);
    expect((await railyard.bundles.find(two.id.slice(0, 20))).id).toBe(two.id);
    expect((await railyard.bundles.find(two.id.slice(7, 20))).id).toBe(two.id);
    expect((await railyard.bundles.find(`${one.manifest.project}@1.0.0`)).id).toBe(one.id);
  });

  it('refuses an unknown name with NOT_FOUND and a malformed or ambiguous one with VALIDATION', async () => {
    const { railyard } = await createWorld();
    const one = await createBundle(railyard, '1.0.0');
    await createBundle(railyard, '1.1.0');
    const codeOf = (ref: string) =>
      railyard.bundles.find(ref).then(
        () => 'found',
        (error) => (isRailyardError(error) ? error.code : 'other'),
      );
    expect(await codeOf(`${one.manifest.project}@9.9.9`)).toBe('NOT_FOUND');
    expect(await codeOf(`sha256:${'0'.repeat(64)}`)).toBe('NOT_FOUND');
    expect(await codeOf('not a bundle!')).toBe('VALIDATION');
    expect(await codeOf('abc')).toBe('VALIDATION'); // fewer than 4 hex digits
    expect(await codeOf('')).toBe('VALIDATION');
    expect(await codeOf('sha256:')).toBe('VALIDATION'); // no hex digits at all
  });
});
