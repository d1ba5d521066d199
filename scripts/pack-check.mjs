#!/usr/bin/env node
// The pack-and-import test (run by .ci/run after the build): what a user installs from npm must work.
// For every public package under packages/ it runs `npm pack`, checks the tarball carries LICENSE,
// README.md and CHANGELOG.md, runs publint and `attw --profile esm-only` on it, then installs all the
// tarballs together into a fresh consumer project in a temp directory (the packages from the
// tarballs; their dependencies from the registry or npm's cache) and:
//   - imports every entry point of every package with `import` and with `require()`, also under
//     `--conditions=source` (a condition name other tools use; ours is `@railyard/source`);
//   - type-checks a consumer that imports every entry point, with `moduleResolution` `bundler` and
//     `nodenext`.
// Any problem fails the script (exit code 1) with a line saying which package and which check.
// `--keep` leaves the temp directory in place for inspection.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const bin = (name) => join(root, 'node_modules', '.bin', name);
const problems = [];
const work = mkdtempSync(join(tmpdir(), 'railyard-pack-'));

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Runs a check; a failure is recorded with its output rather than stopping the other checks. */
function check(label, command, args, options) {
  try {
    run(command, args, options);
    console.log(`ok   ${label}`);
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || String(error);
    problems.push(label);
    console.log(`FAIL ${label}\n${output.replace(/^/gm, '     ')}`);
  }
}

function publicPackages() {
  return readdirSync(join(root, 'packages'))
    .sort()
    .map((dir) => ({
      dir: join(root, 'packages', dir),
      manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/** Every importable subpath of a package's `exports` (`./package.json` is metadata, not code). */
function entryPoints({ manifest }) {
  const exports = manifest.exports ?? {};
  const keys =
    typeof exports === 'string' || !Object.keys(exports).some((k) => k.startsWith('.')) ? ['.'] : Object.keys(exports);
  return keys
    .filter((key) => key !== './package.json' && !key.includes('*'))
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}

const packages = publicPackages();
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);

for (const pkg of packages) {
  const name = pkg.manifest.name;
  const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', tarballs], { cwd: pkg.dir }));
  pkg.tarball = join(tarballs, packed.filename);
  const files = new Set(packed.files.map((file) => file.path));
  for (const required of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) {
    if (files.has(required)) continue;
    problems.push(`${name}: ${required} missing from the tarball`);
    console.log(`FAIL ${name}: ${required} missing from the tarball`);
  }
  if (
    files.has('LICENSE') &&
    readFileSync(join(pkg.dir, 'LICENSE'), 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')
  ) {
    problems.push(`${name}: LICENSE differs from the repository's`);
    console.log(`FAIL ${name}: LICENSE differs from the repository's LICENSE (copy it)`);
  }
  const leaked = [...files].filter((file) => file.startsWith('src/') || file.startsWith('test/'));
  if (leaked.length > 0) {
    problems.push(`${name}: sources in the tarball`);
    console.log(`FAIL ${name}: the tarball ships ${leaked.slice(0, 3).join(', ')}…`);
  }
  check(`${name}: publint`, bin('publint'), ['run', '--strict', pkg.tarball], { cwd: work });
  check(`${name}: attw --profile esm-only`, bin('attw'), [pkg.tarball, '--profile', 'esm-only', '--format', 'ascii'], {
    cwd: work,
  });
}

// The consumer: a fresh project that depends on every tarball (so one package's peer on
// @railyard/core is met by the packed core, not by the registry).
const consumer = join(work, 'consumer');
mkdirSync(consumer);
const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const lockedVersion = (name) => rootLock.packages[`node_modules/${name}`]?.version;
const peers = {};
for (const pkg of packages)
  for (const peer of Object.keys(pkg.manifest.peerDependencies ?? {}))
    if (!peer.startsWith('@railyard/')) peers[peer] = lockedVersion(peer) ?? pkg.manifest.peerDependencies[peer];
writeFileSync(
  join(consumer, 'package.json'),
  `${JSON.stringify(
    {
      name: 'railyard-pack-consumer',
      private: true,
      type: 'module',
      dependencies: {
        ...Object.fromEntries(packages.map((pkg) => [pkg.manifest.name, `file:${pkg.tarball}`])),
        ...peers,
      },
      devDependencies: { '@types/node': lockedVersion('@types/node'), typescript: lockedVersion('typescript') },
    },
    null,
    2,
  )}\n`,
);
check(
  'install the tarballs into a fresh consumer',
  npm,
  ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'],
  { cwd: consumer },
);

const entries = packages.flatMap(entryPoints);
for (const entry of entries) {
  const esm = `const m = await import(${JSON.stringify(entry)}); if (Object.keys(m).length === 0) throw new Error('no exports');`;
  const cjs = `const m = require(${JSON.stringify(entry)}); if (Object.keys(m).length === 0) throw new Error('no exports');`;
  check(`${entry}: import`, process.execPath, ['--input-type=module', '-e', esm], { cwd: consumer });
  check(`${entry}: require()`, process.execPath, ['--input-type=commonjs', '-e', cjs], { cwd: consumer });
  check(
    `${entry}: import --conditions=source`,
    process.execPath,
    ['--conditions=source', '--input-type=module', '-e', esm],
    { cwd: consumer },
  );
}

// Type-check a consumer that uses every entry point, under both resolutions users pick.
const source = entries.map((entry, i) => `import * as entry${i} from '${entry}';`).join('\n');
writeFileSync(
  join(consumer, 'consumer.ts'),
  `${source}\nexport const entries: object[] = [${entries.map((_, i) => `entry${i}`).join(', ')}];\n`,
);
const resolutions = {
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
};
for (const [name, options] of Object.entries(resolutions)) {
  const tsconfig = `tsconfig.${name}.json`;
  const compilerOptions = {
    ...options,
    target: 'es2022',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  };
  writeFileSync(join(consumer, tsconfig), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2));
  check(
    `type-check a consumer (moduleResolution ${name})`,
    process.execPath,
    [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', tsconfig],
    { cwd: consumer },
  );
}

if (process.argv.includes('--keep')) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });

if (problems.length > 0) {
  console.error(`\npack-check: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`\npack-check: ${packages.length} packages, ${entries.length} entry points: all good`);
