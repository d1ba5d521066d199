#!/usr/bin/env node
// Type-checks every ```ts code block of docs/*.md, README.md and packages/*/README.md, so the docs
// cannot drift from the API. Each block becomes one module in .docs-check/ (git-ignored), compiled
// with the repository's strict settings; @railyard/* resolve to the workspace sources (the
// `@railyard/source` condition), so no build is needed. Names the guides use without defining them
// (`railyard`, `store`, `blobs`, `alice`, …) are declared once, with their real types, in
// scripts/docs-check-globals.d.ts. A block that is intentionally partial is fenced ```ts nocheck
// (use sparingly). Exit code 1 on any error, reported as file:line of the Markdown.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const out = join(root, '.docs-check');

const markdown = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(root, 'packages'))
    .map((d) => `packages/${d}/README.md`)
    .filter((f) => {
      try {
        readFileSync(join(root, f));
        return true;
      } catch {
        return false;
      }
    }),
].sort();

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const blocks = []; // { file, mdLine, name }
let skipped = 0;
for (const file of markdown) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    i = end;
    if (/\bnocheck\b/.test(fence[3])) {
      skipped++;
      continue;
    }
    const body = lines.slice(start, end).map((line) => line.slice(fence[1].length));
    const name = `${file.replace(/[/.]/g, '_')}_L${start + 1}.ts`;
    // `export {}` makes every block a module of its own (top-level await, no clashes between blocks).
    writeFileSync(join(out, name), `${body.join('\n')}\nexport {};\n`);
    blocks.push({ file, mdLine: start + 1, name });
  }
}
copyFileSync(join(root, 'scripts/docs-check-globals.d.ts'), join(out, 'globals.d.ts'));
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../tsconfig.base.json',
      compilerOptions: { noEmit: true, declaration: false, sourceMap: false, noUnusedLocals: false, types: ['node'] },
      include: ['*.ts'],
    },
    null,
    2,
  ),
);

let output = '';
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', out, '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  });
} catch (error) {
  output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
}

const byName = new Map(blocks.map((b) => [b.name, b]));
const errors = [];
for (const line of output.split('\n')) {
  const match = /^(.*?)\((\d+),(\d+)\): (error .*)$/.exec(line);
  if (!match) {
    if (line.trim() && !line.startsWith(' ')) errors.push(line);
    else if (line.trim()) errors[errors.length - 1] += `\n${line}`;
    continue;
  }
  const block = byName.get(relative(out, resolve(root, match[1])));
  errors.push(
    block
      ? `${block.file}:${block.mdLine + Number(match[2]) - 1}: ${match[4]}`
      : `${relative(root, resolve(root, match[1]))}:${match[2]}: ${match[4]}`,
  );
}
if (!process.argv.includes('--keep')) rmSync(out, { recursive: true, force: true });
if (errors.length > 0) {
  console.error(errors.join('\n'));
  console.error(`\ndocs-check: ${errors.length} error(s) in ${blocks.length} code blocks of ${markdown.length} files`);
  process.exit(1);
}
console.log(
  `docs-check: ${blocks.length} code blocks of ${markdown.length} files type-check (${skipped} marked nocheck)`,
);
