#!/usr/bin/env node
// `npm run release`: apply the pending changesets (versions + CHANGELOG.md of each package), refresh
// the lock file, build, then publish every public package under packages/ whose version is not on
// the registry yet, with provenance. `--dry-run` does everything but the publishing (npm publish
// --dry-run instead) and leaves the version bump in the working tree for you to inspect or revert.
// See docs/releasing.md.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dryRun = process.argv.includes('--dry-run');
const root = new URL('..', import.meta.url).pathname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

function isPublished(name, version) {
  try {
    const out = execFileSync(npm, ['view', `${name}@${version}`, 'version'], { cwd: root, encoding: 'utf8' });
    return out.trim() === version;
  } catch {
    return false; // E404: never published
  }
}

run('npx', ['changeset', 'version']);
run(npm, ['install', '--package-lock-only', '--no-audit', '--no-fund']);
run(npm, ['run', 'build']);

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  if (isPublished(manifest.name, manifest.version)) {
    console.log(`${manifest.name}@${manifest.version} is already published: skipped`);
    continue;
  }
  // --provenance needs a CI with an OIDC identity (GitHub Actions with `id-token: write`).
  run(npm, [
    'publish',
    '--provenance',
    '--access',
    'public',
    '--workspace',
    `packages/${dir}`,
    ...(dryRun ? ['--dry-run'] : []),
  ]);
}
