// bundle-build: `bundles.build` throughput (MB/s) on the durable file stores (fileStateStore +
// fileBlobStore, fsync on) for a generated ~1 GiB project of mixed file sizes, against hashing the
// same files with node's crypto in 1 MiB reads, interleaved in the same process, page cache warm.
// Also the peak RSS of a process that only builds, against a process that only hashes.
//
// The project generator, the hash baseline and the directory-size helper are exported for
// bundle-rebuild.mjs. Importing this module has no side effects; run as a script
// (`node bundle-build.mjs --rss <mode> ...`) it is the child that the RSS measurement spawns.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, median, note, QUICK, round, sample, settleHeap, spread } from '../lib.mjs';

const MiB = 1 << 20;
const KiB = 1 << 10;
const MB = 1e6;
export const createdBy = { id: 'bench', roles: [] };

/**
 * The generated project: sizes drawn from a seeded PRNG, so every run builds the same layout.
 * Full: ~1 GiB = 1024 small files (4–64 KiB), 40 medium (1–16 MiB), the rest in 64–256 MiB files.
 * Quick: ~64 MiB = 128 small, 8 medium (1–4 MiB), the rest in 8–24 MiB files.
 */
export const PLAN = QUICK
  ? { total: 64 * MiB, small: [128, 4 * KiB, 64 * KiB], medium: [8, 1 * MiB, 4 * MiB], large: [8 * MiB, 24 * MiB] }
  : {
      total: 1024 * MiB,
      small: [1024, 4 * KiB, 64 * KiB],
      medium: [40, 1 * MiB, 16 * MiB],
      large: [64 * MiB, 256 * MiB],
    };

const ROUNDS = QUICK ? 2 : 3;
const RSS_RUNS = QUICK ? 1 : 2;

/** mulberry32: a tiny seeded PRNG in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Layout of the project: `[{ path, size }]`, sizes only (no I/O). */
export function planProject(plan = PLAN, seed = 42) {
  const rand = prng(seed);
  const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const files = [];
  const [nSmall, sLo, sHi] = plan.small;
  for (let i = 0; i < nSmall; i++) {
    files.push({
      path: `data/part-${String(i >> 7).padStart(2, '0')}/rows-${String(i).padStart(5, '0')}.bin`,
      size: between(sLo, sHi),
    });
  }
  const [nMedium, mLo, mHi] = plan.medium;
  for (let i = 0; i < nMedium; i++) {
    files.push({ path: `models/model-${String(i).padStart(3, '0')}.onnx`, size: between(mLo, mHi) });
  }
  const [lLo, lHi] = plan.large;
  let rest = plan.total - files.reduce((sum, f) => sum + f.size, 0);
  let n = 0;
  while (rest > 0) {
    let size = rest <= lHi ? rest : between(lLo, lHi);
    if (rest > size && rest - size < lLo) size = rest - lLo; // the last file gets at least lLo
    files.push({ path: `datasets/table-${String(n++).padStart(2, '0')}.parquet`, size });
    rest -= size;
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)); // walkProject's order
}

export const DESCRIPTOR = {
  project: 'bench',
  kinds: { data: ['data/**', 'datasets/**'], model: ['models/**'] },
};

/**
 * Writes the project under `dir`: content that does not compress (slices of a crypto.randomBytes
 * pool at random offsets, each file starting with 64 fresh random bytes so no two files share a
 * digest), then `sync` so no write-back of the generated files overlaps the timed samples.
 * Returns the files with absolute paths, and the total bytes.
 */
export async function generateProject(dir, plan = PLAN, seed = 42) {
  const files = planProject(plan, seed);
  const rand = prng(seed ^ 0x5eed);
  const pool = randomBytes(16 * MiB);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'railyard.project.json'), JSON.stringify(DESCRIPTOR, null, 2));
  for (const file of files) {
    file.absolutePath = join(dir, file.path);
    await mkdir(join(file.absolutePath, '..'), { recursive: true });
    await writeRandomFile(file.absolutePath, file.size, pool, rand);
  }
  await syncAll();
  return { files, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}

/** Fills `path` with `size` incompressible bytes; `offset` lets a caller overwrite a region in place. */
export async function writeRandomFile(path, size, pool, rand = Math.random, { offset = 0, flags = 'w' } = {}) {
  const handle = await open(path, flags);
  try {
    let at = offset;
    const end = offset + size;
    const head = randomBytes(Math.min(64, size));
    await handle.write(head, 0, head.length, at);
    at += head.length;
    while (at < end) {
      const len = Math.min(MiB, end - at);
      const from = Math.floor(rand() * (pool.length - len));
      let done = 0;
      while (done < len) {
        const { bytesWritten } = await handle.write(pool, from + done, len - done, at + done);
        done += bytesWritten;
      }
      at += len;
    }
  } finally {
    await handle.close();
  }
}

/** Flushes every dirty page to disk (coreutils `sync`), so write-back does not leak into a timed sample. */
export function syncAll() {
  return new Promise((resolve, reject) => {
    const proc = spawn('sync', { stdio: 'ignore' });
    proc.on('error', reject);
    proc.on('close', () => resolve());
  });
}

/** The baseline: sha256 of each file in turn, read with 1 MiB chunks. Returns the digests in order. */
export async function hashFiles(files) {
  const digests = [];
  for (const file of files) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file.absolutePath, { highWaterMark: MiB })) hash.update(chunk);
    digests.push(`sha256:${hash.digest('hex')}`);
  }
  return digests;
}

/** Reference for the RSS note only: the same hashing, reading into one reused 1 MiB buffer. */
async function hashFilesReusingBuffer(files) {
  const buffer = Buffer.allocUnsafe(MiB);
  for (const file of files) {
    const hash = createHash('sha256');
    const handle = await open(file.absolutePath, 'r');
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    hash.digest();
  }
}

/** Size of a directory tree: `bytes` = sum of regular file sizes, `allocated` = blocks of files and dirs, `files`. */
export async function dirUsage(dir) {
  const usage = { bytes: 0, allocated: 0, files: 0 };
  async function visit(path) {
    const info = await lstat(path);
    usage.allocated += info.blocks * 512;
    if (info.isDirectory()) {
      for (const name of await readdir(path)) await visit(join(path, name));
    } else if (info.isFile()) {
      usage.bytes += info.size;
      usage.files++;
    }
  }
  try {
    await visit(dir);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return usage;
}

/** One temp root for everything a benchmark creates, removed at the end and on exit. */
export function tempRoot(label) {
  const root = mkdtempSync(join(tmpdir(), `railyard-bench-${label}-`));
  const children = new Set();
  const cleanup = () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  return { root, children, cleanup };
}

/** Builds the project in `work` (fresh state and blob dirs); returns the record and the timing. */
export async function buildOnce(core, projectDir, work, version = '1.0.0') {
  const railyard = core.createRailyard({
    store: await core.fileStateStore({ dir: join(work, 'state') }),
    blobs: core.fileBlobStore({ dir: join(work, 'blobs') }),
  });
  try {
    const t0 = performance.now();
    const record = await railyard.bundles.build({ dir: projectDir, version, createdBy });
    return { record, ms: performance.now() - t0 };
  } finally {
    await railyard.close();
  }
}

/** Checks that a manifest holds exactly the generated files, with the baseline's digests. */
function checkManifest(record, files, digests) {
  const entries = record.manifest.entries;
  if (entries.length !== files.length)
    throw new Error(`bundle-build: ${entries.length} entries, expected ${files.length}`);
  entries.forEach((entry, i) => {
    if (entry.path !== files[i].path || entry.size !== files[i].size || (digests && entry.digest !== digests[i])) {
      throw new Error(`bundle-build: entry ${entry.path} does not match the generated file ${files[i].path}`);
    }
  });
}

/** Spawns this file as a child (`--rss <mode> ...`) and returns what it reports. */
function rssChild(children, args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--rss', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(proc);
    let out = '';
    proc.stdout.on('data', (data) => {
      out += data;
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      children.delete(proc);
      if (code !== 0) reject(new Error(`bundle-build: RSS child ${args[0]} exited ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

/**
 * Peak RSS of this process in KiB. On Linux, `VmHWM` from /proc/self/status: the high-water mark of
 * this program's own address space. `process.resourceUsage().maxRSS` (getrusage) is NOT usable in a
 * spawned child there: the kernel keeps the max RSS across execve, so a child's maxRSS starts at the
 * RSS its parent had when it forked (checked: a bare `node -e` spawned by a parent holding 400 MiB
 * reports maxRSS 404 MiB, VmHWM 40 MiB). Elsewhere, falls back to maxRSS.
 */
function peakRssKiB() {
  try {
    const match = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return { kib: Number(match[1]), source: 'VmHWM' };
  } catch {
    // not Linux
  }
  return { kib: process.resourceUsage().maxRSS, source: 'maxRSS' };
}

/** The RSS child: does one thing, then prints its peak RSS (KiB) as JSON. */
async function rssChildMain([mode, projectDir, work]) {
  let ms = 0;
  let bytes = 0;
  if (mode === 'core') await import('@railyard/core');
  if (mode === 'hash' || mode === 'hash-reuse' || mode === 'build') {
    const files = planProject().map((f) => ({ ...f, absolutePath: join(projectDir, f.path) }));
    bytes = files.reduce((sum, f) => sum + f.size, 0);
    const t0 = performance.now();
    if (mode === 'hash') await hashFiles(files);
    else if (mode === 'hash-reuse') await hashFilesReusingBuffer(files);
    else {
      const out = await buildOnce(await import('@railyard/core'), projectDir, work);
      checkManifest(out.record, files);
    }
    ms = performance.now() - t0;
  }
  const peak = peakRssKiB();
  const { maxRSS } = process.resourceUsage();
  console.log(
    JSON.stringify({
      mode,
      peak: peak.kib,
      source: peak.source,
      maxRSS,
      ms,
      bytes,
      heapUsed: process.memoryUsage().heapUsed,
    }),
  );
}

export async function run() {
  const core = await import('@railyard/core');
  const { root, children, cleanup } = tempRoot('build');
  try {
    const projectDir = join(root, 'project');
    let t0 = performance.now();
    const { files, bytes } = await generateProject(projectDir);
    const counts = { small: 0, medium: 0, large: 0 };
    for (const f of files)
      counts[f.path.startsWith('data/') ? 'small' : f.path.startsWith('models/') ? 'medium' : 'large']++;
    note(
      `bundle-build: project of ${files.length} files, ${round(bytes / MiB)} MiB (${counts.small} of 4–64 KiB, ${counts.medium} of ${PLAN.medium[1] / MiB}–${PLAN.medium[2] / MiB} MiB, ${counts.large} of ${PLAN.large[0] / MiB}–${PLAN.large[1] / MiB} MiB) generated in ${round((performance.now() - t0) / 1000)} s under ${root}; load average ${loadavg().map(round).join(' ')}`,
    );
    // Warm the page cache (and the hash path) once, untimed; these digests check every engine sample.
    t0 = performance.now();
    const digests = await hashFiles(files);
    note(`warm-up read+hash of the project: ${round((performance.now() - t0) / 1000)} s`);

    let samples = 0;
    const engine = async () => {
      const work = join(root, `engine-${++samples}`);
      await settleHeap();
      try {
        // buildOnce times `bundles.build` alone: opening and closing the stores stay untimed.
        const { record, ms } = await buildOnce(core, projectDir, work);
        const result = { ops: bytes, ms, rate: bytes / (ms / 1000) };
        checkManifest(record, files, digests);
        const stored = await dirUsage(join(work, 'blobs'));
        if (stored.bytes !== bytes)
          throw new Error(`bundle-build: blob store holds ${stored.bytes} bytes, expected ${bytes}`);
        return result;
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    };
    const hash = async () => {
      await settleHeap();
      let out;
      const result = await sample(async () => {
        out = await hashFiles(files);
        return bytes;
      });
      if (out.some((d, i) => d !== digests[i])) throw new Error('bundle-build: hash baseline digests changed');
      return result;
    };
    note(
      `${ROUNDS} interleaved rounds (no warm-up round: the read above warmed the cache); engine sample = bundles.build on fresh fileStateStore + fileBlobStore (fsync on) dirs, removed after; hash sample = sha256 of every file, createReadStream highWaterMark 1 MiB`,
    );
    const { subject, baseline, ratios } = await interleave({
      subject: engine,
      baseline: hash,
      rounds: ROUNDS,
      warmup: 0,
    });
    const buildMBs = subject.map((s) => s.rate / MB);
    const hashMBs = baseline.map((s) => s.rate / MB);
    note(`build MB/s ${spread(buildMBs)}; hash MB/s ${spread(hashMBs)}; per-round ratio ${spread(ratios)}`);
    note(
      `build ${round(median(subject.map((s) => s.ms)) / 1000)} s per ${round(bytes / MiB)} MiB (${round(median(subject.map((s) => s.ms)) / files.length)} ms per file on average), hash ${round(median(baseline.map((s) => s.ms)) / 1000)} s`,
    );

    // Peak RSS: each in its own plain `node` child (no --expose-gc), so neither pollutes the other.
    const mb = (kib) => (kib * 1024) / MB;
    const idle = await rssChild(children, ['bare']);
    const idleCore = await rssChild(children, ['core']);
    const hashRuns = [];
    const buildRuns = [];
    for (let i = 0; i < RSS_RUNS; i++) {
      hashRuns.push(await rssChild(children, ['hash', projectDir]));
      const work = join(root, `rss-${i}`);
      try {
        const out = await rssChild(children, ['build', projectDir, work]);
        buildRuns.push(out);
        note(
          `RSS child ${i + 1}: build of ${round(out.bytes / MiB)} MiB in ${round(out.ms / 1000)} s, heapUsed at end ${round(out.heapUsed / MiB)} MiB`,
        );
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }
    const reuse = await rssChild(children, ['hash-reuse', projectDir]);
    const buildRss = buildRuns.map((r) => mb(r.peak));
    const hashRss = hashRuns.map((r) => mb(r.peak));
    const rssValue = Math.max(...buildRss);
    const rssBase = Math.max(...hashRss);
    note(
      `peak RSS in MB (10^6 B) from ${buildRuns[0].source}${buildRuns[0].source === 'VmHWM' ? ' (/proc/self/status)' : ' (getrusage; may include the parent process, see peakRssKiB)'}, max of ${RSS_RUNS} run(s): build-only process ${buildRss.map(round).join(', ')}; hash-only process ${hashRss.map(round).join(', ')}; hash-only reading into one reused 1 MiB buffer (FileHandle.read, no stream) ${round(mb(reuse.peak))}; bare node ${round(mb(idle.peak))}; node after importing @railyard/core ${round(mb(idleCore.peak))}. Limit in issue 3: 100 MB for a 1 GiB bundle${QUICK ? ' (quick run: 64 MiB bundle, not the 1 GiB of the limit)' : ''} → ${rssValue < 100 ? 'under' : 'OVER'}`,
    );
    note(
      `for comparison, process.resourceUsage().maxRSS in the same children (inflated by the parent's RSS at spawn, which Linux keeps across execve): build ${buildRuns.map((r) => round(mb(r.maxRSS))).join(', ')}, hash ${hashRuns.map((r) => round(mb(r.maxRSS))).join(', ')}, bare node ${round(mb(idle.maxRSS))}; load average now ${loadavg().map(round).join(' ')}`,
    );
    return [
      {
        name: 'bundle-build',
        value: median(buildMBs),
        unit: 'MB/s',
        baseline: 'sha256-1MiB-read',
        ratio: median(ratios),
      },
      {
        name: 'bundle-build-rss',
        value: rssValue,
        unit: 'MB',
        baseline: 'hash-process-rss',
        ratio: rssValue / rssBase,
      },
    ];
  } finally {
    cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--rss') {
  await rssChildMain(process.argv.slice(3));
}
