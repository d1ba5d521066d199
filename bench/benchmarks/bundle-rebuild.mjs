// bundle-rebuild: how many bytes the blob store grows by when a project is rebuilt (new version)
// after one file changed, against the size of that file (ratio ≈ 1: only the changed file is
// stored). Same generated project as bundle-build, durable file stores (fsync on), one engine.
// The times of the builds are reported in `# ` lines for context; they are not the measurement.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createRailyard, fileBlobStore, fileStateStore } from '@railyard/core';
import { note, QUICK, round } from '../lib.mjs';
import {
  createdBy,
  dirUsage,
  generateProject,
  hashFiles,
  syncAll,
  tempRoot,
  writeRandomFile,
} from './bundle-build.mjs';

const MiB = 1 << 20;
const CHANGE = 4096; // bytes overwritten in place, in the middle of the changed file

/** The file of a class whose size is the median of that class (deterministic: same layout every run). */
function pick(files, prefix) {
  const of = files.filter((f) => f.path.startsWith(prefix)).sort((a, b) => a.size - b.size);
  return of[of.length >> 1];
}

export async function run() {
  const { root, cleanup } = tempRoot('rebuild');
  try {
    const projectDir = join(root, 'project');
    const { files, bytes } = await generateProject(projectDir);
    let t0 = performance.now();
    await hashFiles(files); // warms the page cache
    const hashMs = performance.now() - t0;
    const blobDir = join(root, 'work', 'blobs');
    const stateDir = join(root, 'work', 'state');
    const railyard = createRailyard({
      store: await fileStateStore({ dir: stateDir }),
      blobs: fileBlobStore({ dir: blobDir }),
    });
    try {
      t0 = performance.now();
      let previous = await railyard.bundles.build({ dir: projectDir, version: '1.0.0', createdBy });
      const firstMs = performance.now() - t0;
      note(
        `bundle-rebuild: project of ${files.length} files, ${round(bytes / MiB)} MiB in ${root}; first build (1.0.0) ${round(firstMs / 1000)} s, read+hash of the project ${round(hashMs / 1000)} s; each rebuild overwrites ${CHANGE} bytes in the middle of one file, then builds the next version on the same fileStateStore + fileBlobStore (fsync on)`,
      );
      const pool = randomBytes(4 * MiB);
      const steps = [
        { label: 'medium', file: pick(files, 'models/') },
        { label: 'small', file: pick(files, 'data/') },
        { label: 'large', file: pick(files, 'datasets/') },
        { label: 'unchanged', file: null },
      ];
      let patch = 0;
      for (const step of steps) {
        if (step.file) {
          const at = Math.max(0, (step.file.size >> 1) - CHANGE / 2);
          await writeRandomFile(step.file.absolutePath, Math.min(CHANGE, step.file.size), pool, Math.random, {
            offset: at,
            flags: 'r+',
          });
        }
        await syncAll();
        const blobsBefore = await dirUsage(blobDir);
        const stateBefore = await dirUsage(stateDir);
        t0 = performance.now();
        const record = await railyard.bundles.build({ dir: projectDir, version: `1.0.${++patch}`, createdBy });
        step.ms = performance.now() - t0;
        const blobsAfter = await dirUsage(blobDir);
        step.grown = blobsAfter.bytes - blobsBefore.bytes;
        step.allocated = blobsAfter.allocated - blobsBefore.allocated;
        step.newFiles = blobsAfter.files - blobsBefore.files;
        step.state = (await dirUsage(stateDir)).bytes - stateBefore.bytes;
        step.size = step.file?.size ?? 0;
        // The manifest must differ from the previous one in exactly the changed entry.
        const changed = record.manifest.entries.filter((e, i) => e.digest !== previous.manifest.entries[i].digest);
        const expected = step.file ? [step.file.path] : [];
        if (changed.map((e) => e.path).join() !== expected.join()) {
          throw new Error(
            `bundle-rebuild: changed entries ${changed.map((e) => e.path).join()}, expected ${expected.join()}`,
          );
        }
        const leftovers = await readdir(join(blobDir, 'tmp')).catch(() => []);
        if (leftovers.length > 0)
          throw new Error(`bundle-rebuild: ${leftovers.length} temp files left in the blob store`);
        note(
          `${step.label}: changed ${step.file ? `${step.file.path} (${step.size} B)` : 'nothing (version only)'}; blob store +${step.grown} B in ${step.newFiles} new blob file(s) (+${step.allocated} B allocated on disk incl. shard dirs); state dir +${step.state} B; rebuild ${round(step.ms / 1000)} s (first build ${round(firstMs / 1000)} s)`,
        );
        previous = record;
      }
      const main = steps[0];
      const rebuilds = steps.map((s) => s.ms);
      note(
        `every rebuild re-reads, re-hashes and re-writes (temp file + fsync) every file before finding the blob already stored: rebuild ${round(Math.min(...rebuilds) / 1000)}–${round(Math.max(...rebuilds) / 1000)} s vs first build ${round(firstMs / 1000)} s vs read+hash ${round(hashMs / 1000)} s; load average ${loadavg().map(round).join(' ')}`,
      );
      if (QUICK) note('quick run: 64 MiB project; the byte counts are exact, the times only indicative');
      return [
        {
          name: 'bundle-rebuild',
          value: main.grown,
          unit: 'bytes',
          baseline: 'changed-file-bytes',
          ratio: main.grown / main.size,
        },
      ];
    } finally {
      await railyard.close();
    }
  } finally {
    cleanup();
  }
}
