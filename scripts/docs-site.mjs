#!/usr/bin/env node
// Builds the reference site (typedoc.json: every package's entry points, the guides in docs/ as
// pages, docs/site/home.md as the landing page) into docs/api/, and fails on any typedoc error or
// warning (typedoc.json sets treatWarningsAsErrors; MAX_WARNINGS stays 0): new public API needs
// TSDoc on every member, and public types are named interfaces (see ../shared/STYLE.md).
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const MAX_WARNINGS = 0;

const root = resolve(new URL('..', import.meta.url).pathname);
const child = spawn(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc')], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
for (const stream of [child.stdout, child.stderr])
  stream.on('data', (chunk) => {
    output += chunk;
    if (process.argv.includes('--verbose')) process.stdout.write(chunk);
  });
const code = await new Promise((done) => child.on('close', done));

// biome-ignore lint/suspicious/noControlCharactersInRegex: typedoc colours its output
const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
// A warning about a guide is prefixed with its file and position ("docs/x.md:40:57 - [warning] …").
const warnings = plain.split('\n').filter((line) => line.includes('[warning]') && !line.startsWith('[warning] Found '));
const errors = plain.split('\n').filter((line) => line.includes('[error]') && !line.startsWith('[error] Found '));
const byFile = new Map();
for (const line of warnings) {
  const file = /defined in (\S+?),/.exec(line)?.[1] ?? '(other)';
  byFile.set(file, (byFile.get(file) ?? 0) + 1);
}
const top = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 10);
console.log(`typedoc: ${errors.length} error(s), ${warnings.length} warning(s) (budget ${MAX_WARNINGS}); most in:`);
for (const [file, count] of top) console.log(`  ${String(count).padStart(4)}  ${file}`);
for (const line of errors) console.error(line);
if (warnings.length > MAX_WARNINGS) {
  console.error(
    `docs-site: ${warnings.length} warning(s); there must be none. New public API needs TSDoc on every member; run with --verbose to see them.`,
  );
  process.exit(1);
}
if (code !== 0 || errors.length > 0) process.exit(1);
