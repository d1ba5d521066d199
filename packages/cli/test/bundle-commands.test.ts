import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyBundleSignature } from '@railyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { OpsDocuments } from './helpers/ops-schemas.js';
import { tempProject } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';

const design = tempProject();
const production = tempProject();
const run = (...args: string[]) => railyard(design.dir, ['--as', 'alice', ...args]);
const big = randomBytes(3 << 20);

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(
    join(design.dir, 'railyard.project.json'),
    JSON.stringify({ project: 'churn', kinds: { model: ['*.bin'] } }),
  );
  writeFileSync(join(design.dir, 'model.bin'), big);
  writeFileSync(join(design.dir, 'score.sql'), 'select 1');
}, 120_000);
afterAll(() => {
  design.cleanup();
  production.cleanup();
});

describe('railyard bundle', () => {
  it('build records the project, prints plain progress lines on stderr when not a TTY, and --json prints the bundle', async () => {
    const built = await run('bundle', 'build', '--version', '1.0.0', '--notes', 'first', '--json');
    expect(built.code).toBe(0);
    const { bundle } = OpsDocuments.bundle.parse(built.json());
    expect(bundle.manifest).toMatchObject({
      project: 'churn',
      version: '1.0.0',
      createdBy: 'alice',
      releaseNotes: 'first',
    });
    expect(bundle.manifest.entries.map((e) => [e.path, e.size])).toEqual([
      ['model.bin', big.length],
      ['score.sql', 8],
    ]);
    // --json keeps stdout one document and draws no progress.
    expect(built.stderr).toBe('');

    writeFileSync(join(design.dir, 'score.sql'), 'select 2');
    const human = await run('bundle', 'build', '.', '--version', '1.1.0');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Built churn@1\.1\.0 {2}sha256:[0-9a-f]{64}\ncreated by alice/);
    expect(human.stderr).toMatch(/^build: 2\/2 files, 3\.0 MiB\/3\.0 MiB \(100 %\), .+\/s, ETA 0s\n$/m);
  });

  it('build refuses a bad version and a missing directory, storing nothing', async () => {
    const bad = await run('bundle', 'build', '--version', 'one', '--json');
    expect(bad.code).toBe(2);
    expect(OpsDocuments.error.parse(bad.json()).error.code).toBe('VALIDATION');
    const missing = await run('bundle', 'build', 'nowhere', '--version', '2.0.0');
    expect(missing.code).toBe(3);
    expect(OpsDocuments.bundles.parse((await run('bundle', 'list', '--json')).json()).bundles).toHaveLength(2);
  });

  it('list, show and diff read the bundles back', async () => {
    const list = await run('bundle', 'list');
    expect(list.stdout).toMatch(
      /^BUNDLE\s+ID\s+FILES\s+SIZE\s+BY\s+CREATED\nchurn@1\.1\.0\s+sha256:[0-9a-f]{12}\s+2\s+3\.0 MiB\s+alice/,
    );
    const listed = OpsDocuments.bundles.parse((await run('bundle', 'list', '--project', 'other', '--json')).json());
    expect(listed.bundles).toEqual([]);

    const show = OpsDocuments.show.parse((await run('bundle', 'show', 'churn@1.0.0', '--json')).json());
    expect(show.bundle.manifest.version).toBe('1.0.0');
    expect(show.signatures).toEqual([]);
    expect((await run('bundle', 'show', 'churn@9.9.9')).code).toBe(3);

    const diff = OpsDocuments.diff.parse((await run('bundle', 'diff', 'churn@1.0.0', 'churn@1.1.0', '--json')).json());
    expect(diff.diff.fromId).toBe(show.bundle.id);
    expect(diff.diff.text).toMatch(/score\.sql/);
    expect(diff.diff.text).not.toMatch(/model\.bin/);
  });

  it('sign records an ed25519 signature that verifies against the public key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(design.dir, 'release-2026.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const signed = OpsDocuments.signature.parse(
      (await run('bundle', 'sign', 'churn@1.1.0', '--key', 'release-2026.pem', '--json')).json(),
    );
    expect(signed.signature.keyId).toBe('release-2026');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeFileSync(join(production.dir, 'release-2026.pub.pem'), pem);
    const { bundle } = OpsDocuments.show.parse((await run('bundle', 'show', 'churn@1.1.0', '--json')).json());
    expect(verifyBundleSignature(signed.signature, bundle.id, pem)).toBe(true);
    expect((await run('bundle', 'sign', 'churn@1.1.0', '--key', 'absent.pem')).code).toBe(2);
  });

  it('export writes one archive (refusing to overwrite) that import brings into another site, signatures included', async () => {
    const out = join(production.dir, 'churn-1.1.0.tar');
    const exported = await run('bundle', 'export', 'churn@1.1.0', '--out', out);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^Wrote sha256:[0-9a-f]{64} to .+churn-1\.1\.0\.tar \(3\.0 MiB\)\.$/m);
    expect(exported.stderr).toMatch(/^export: 2\/2 files, 3\.0 MiB\/3\.0 MiB \(100 %\)/m);
    const again = await run('bundle', 'export', 'churn@1.1.0', '--out', out);
    expect(again.code).toBe(2);
    expect(readdirSync(production.dir).sort()).toEqual(['churn-1.1.0.tar', 'release-2026.pub.pem']);

    // A key this site does not trust cannot be required.
    const untrusted = await railyard(production.dir, [
      'bundle',
      'import',
      'churn-1.1.0.tar',
      '--require-signatures',
      '1',
    ]);
    expect(untrusted.code).toBe(2);
    const imported = await railyard(production.dir, [
      '--as',
      'olga',
      'bundle',
      'import',
      'churn-1.1.0.tar',
      '--trust',
      'release-2026=release-2026.pub.pem',
      '--require-signatures',
      '1',
      '--json',
    ]);
    expect(imported.code).toBe(0);
    const { bundle } = OpsDocuments.bundle.parse(imported.json());
    const shown = OpsDocuments.show.parse(
      (await railyard(production.dir, ['bundle', 'show', bundle.id, '--json'])).json(),
    );
    expect(shown.signatures.map((s) => s.keyId)).toEqual(['release-2026']);
    expect(shown.bundle.manifest.version).toBe('1.1.0');
  });

  it('import refuses a damaged archive and stores nothing', async () => {
    const archive = readFileSync(join(production.dir, 'churn-1.1.0.tar'));
    const at = archive.length - 2048; // inside the last blob's bytes
    archive.writeUInt8(archive.readUInt8(at) ^ 0xff, at);
    const damaged = tempProject();
    try {
      writeFileSync(join(damaged.dir, 'damaged.tar'), archive);
      const refused = await railyard(damaged.dir, ['bundle', 'import', 'damaged.tar', '--json']);
      expect([2, 5]).toContain(refused.code);
      expect(OpsDocuments.error.parse(refused.json()).error.code).toMatch(/ARCHIVE_REFUSED|BLOB_INTEGRITY/);
      expect(
        OpsDocuments.bundles.parse((await railyard(damaged.dir, ['bundle', 'list', '--json'])).json()).bundles,
      ).toEqual([]);
    } finally {
      damaged.cleanup();
    }
  });

  it('verify re-reads every blob: 0 when intact, 5 naming the damaged file otherwise', async () => {
    const ok = OpsDocuments.verification.parse((await run('bundle', 'verify', 'churn@1.0.0', '--json')).json());
    expect(ok.verification).toMatchObject({ checked: 2, bytes: big.length + 8 });

    const blobs = join(design.dir, '.railyard/blobs');
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    })(blobs);
    const model = files.find((file) => statSync(file).size === big.length) as string;
    const bytes = readFileSync(model);
    bytes.writeUInt8(bytes.readUInt8(0) ^ 0xff, 0);
    writeFileSync(model, bytes);
    const damaged = await run('bundle', 'verify', 'churn@1.0.0', '--json');
    expect(damaged.code).toBe(5);
    const error = OpsDocuments.error.parse(damaged.json()).error;
    expect(error.code).toBe('BLOB_INTEGRITY');
    expect(error.message).toMatch(/model\.bin/);
  });
});
