import { Readable } from 'node:stream';
import { DEFAULT_ARCHIVE_LIMITS } from '@railyard/core';
import { ArchiveError, railyardErrorFromJSON, ValidationError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { createSite, designBundle, keyPair, snapshot } from './archive-helpers.js';

describe('archive import options', () => {
  it.each([
    ['no actor', { by: undefined }],
    [
      'more required signatures than trusted keys',
      { requireSignatures: 2, trustedKeys: { release: keyPair().publicKey } },
    ],
    ['a trusted key that is not a PEM public key', { trustedKeys: { release: 'not a key' } }],
    ['an unknown limit', { limits: { maxDepth: 3 } }],
    ['a limit that is not a positive integer', { limits: { maxEntries: 0 } }],
    ['an expected id that is not a digest', { expectedId: 'latest' }],
  ])('refuses %s before reading anything', async (_, options) => {
    const { archive } = await designBundle();
    const target = await createSite();
    const before = await snapshot(target);
    await expect(target.import(archive, options as object)).rejects.toBeInstanceOf(ValidationError);
    expect(await snapshot(target)).toEqual(before);
  });

  it('refuses a staging directory it cannot create', async () => {
    const { archive } = await designBundle();
    const target = await createSite();
    const before = await snapshot(target);
    await expect(target.import(archive, { stagingDir: '/nonexistent/railyard' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await snapshot(target)).toEqual(before);
  });

  it('refuses a source that yields text instead of bytes', async () => {
    const target = await createSite();
    await expect(
      target.import(Readable.from(['railyard-archive.json'], { objectMode: true }) as never),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(target.import('a string' as never)).rejects.toBeInstanceOf(ValidationError);
    expect((await snapshot(target)).staging).toEqual([]);
  });

  it('reports a source that fails while being read as unreadable', async () => {
    const target = await createSite();
    async function* failing() {
      yield new Uint8Array(512);
      throw new Error('disk on fire');
    }
    await expect(target.import(failing())).rejects.toMatchObject({
      code: 'ARCHIVE_REFUSED',
      details: { reason: 'unreadable' },
      message: expect.stringContaining('disk on fire'),
    });
  });

  it('has defaults that admit the largest manifest the schema allows', () => {
    expect(DEFAULT_ARCHIVE_LIMITS.maxEntries).toBeGreaterThan(100_000);
    expect(Object.isFrozen(DEFAULT_ARCHIVE_LIMITS)).toBe(true);
  });

  it('refusals cross the network as ArchiveError with their reason', () => {
    const error = new ArchiveError('link', 'Entry "x" is a symbolic link.', { entry: 'x' });
    const rebuilt = railyardErrorFromJSON(JSON.parse(JSON.stringify(error)));
    expect(rebuilt).toBeInstanceOf(ArchiveError);
    expect(rebuilt.code).toBe('ARCHIVE_REFUSED');
    expect(rebuilt.details).toEqual({ reason: 'link', entry: 'x' });
  });
});
