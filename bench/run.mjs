#!/usr/bin/env node
// Benchmark runner. `node bench/run.mjs` runs every benchmark in bench/benchmarks/, `node bench/run.mjs <id>...`
// runs the named ones. Each benchmark runs in its own node process (a fresh heap and JIT), one after
// the other. Output: one `BENCH name=… value=… unit=… baseline=… ratio=…` line per measurement, plus
// human lines starting with `# `. `BENCH_QUICK=1` makes every benchmark very short (CI smoke).
// Benchmarks import the built `@railyard/core` (dist/): run `npm run build` first (`npm run bench` does).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { QUICK, round } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, 'benchmarks');
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.slice(0, -4))
  .sort();

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]);
else await parent(args);

async function parent(ids) {
  if (ids.includes('--help') || ids.includes('-h')) {
    console.log(
      `usage: node bench/run.mjs [id...]   (BENCH_QUICK=1 for a short run)\nbenchmarks: ${available.join(', ')}`,
    );
    return;
  }
  const unknown = ids.filter((id) => !available.includes(id));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
    process.exit(2);
  }
  const selected = ids.length > 0 ? ids : available;
  console.log(
    `# node ${process.version} ${process.platform}/${process.arch}, ${QUICK ? 'QUICK run (indicative only)' : 'full run'}, benchmarks: ${selected.join(', ')}`,
  );
  const started = performance.now();
  let failed = 0;
  for (const id of selected) {
    const t0 = performance.now();
    const code = await runChild(id);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    if (code === 0) console.log(`# ${id}: done in ${secs} s`);
    else {
      failed++;
      console.log(`# ${id}: FAILED (exit ${code}) after ${secs} s`);
    }
  }
  console.log(`# total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (failed > 0) process.exit(1);
}

/** Runs one benchmark in a child node; passes its `BENCH `/`# ` lines through and turns anything else into a `# ` line. */
function runChild(id) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', id], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      console.log(line.startsWith('BENCH ') || line.startsWith('# ') ? line : `# ${line}`);
    });
    proc.on('error', (error) => {
      console.error(error);
      resolve(1);
    });
    proc.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function child(id) {
  const mod = await import(pathToFileURL(join(benchDir, `${id}.mjs`)).href);
  if (typeof mod.run !== 'function') throw new Error(`bench/benchmarks/${id}.mjs does not export run()`);
  const measurements = await mod.run();
  if (!Array.isArray(measurements) || measurements.length === 0)
    throw new Error(`${id}: run() returned no measurements`);
  for (const m of measurements) {
    for (const field of ['name', 'unit', 'baseline']) {
      if (typeof m[field] !== 'string' || !/^[\w.\-/%+]+$/.test(m[field])) {
        throw new Error(
          `${id}: measurement field ${field}=${JSON.stringify(m[field])} must be a non-empty token without spaces`,
        );
      }
    }
    for (const field of ['value', 'ratio']) {
      if (typeof m[field] !== 'number' || !Number.isFinite(m[field])) {
        throw new Error(`${id}: measurement ${m.name} field ${field}=${m[field]} must be a finite number`);
      }
    }
    console.log(
      `BENCH name=${m.name} value=${round(m.value)} unit=${m.unit} baseline=${m.baseline} ratio=${round(m.ratio)}`,
    );
  }
}
