// engine-file: deployment transitions per second through the engine on the durable file stores
// (fileStateStore + fileBlobStore, fsync on), against the raw durable-write recipe of the same
// number of bytes per transition (write temp file + fsync + rename + fsync dir), interleaved in the
// same process, in fresh temp dirs on the same file system.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRailyard, fileBlobStore, fileStateStore } from '@railyard/core';
import { interleave, median, note, QUICK, round, sample, settleHeap, spread } from '../lib.mjs';

const ROUNDS = QUICK ? 3 : 7;
const WARMUP = 1;
/** Deployments per engine sample (each on a fresh store directory); raw ops per baseline sample. */
const DEPLOYMENTS = QUICK ? 10 : 150;
const RAW_OPS = QUICK ? 70 : 1_000;
const by = { id: 'dev', roles: [] };
const LOG = 'log.ndjson';

// Every temp dir lives under one root, removed on exit whatever happens.
const root = mkdtempSync(join(tmpdir(), 'railyard-bench-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
let dirs = 0;
async function freshDir(label) {
  const dir = join(root, `${label}-${++dirs}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Counts commits on their way to the store (the engine sees an ordinary StateStore). */
function counting(store) {
  const counter = { commits: 0 };
  const wrapped = Object.create(store);
  wrapped.commit = (tx) => {
    counter.commits++;
    return store.commit(tx);
  };
  // `close` and friends are looked up on the prototype (the real store) and bound to it by the call.
  for (const key of ['get', 'list', 'readJournal', 'watch', 'close']) {
    if (typeof store[key] === 'function') wrapped[key] = store[key].bind(store);
  }
  return { store: wrapped, counter };
}

let bytesPerTransition; // measured from the engine's log in the warm-up, then used by the baseline

/** One engine sample: N deployments on fresh file stores; set-up and the first deployment untimed. */
async function engineSample() {
  const dir = await freshDir('engine');
  const stateDir = join(dir, 'state');
  const raw = await fileStateStore({ dir: stateDir });
  const { store, counter } = counting(raw);
  const railyard = createRailyard({ store, blobs: fileBlobStore({ dir: join(dir, 'blobs') }) });
  try {
    await railyard.environments.define({ id: 'bench' });
    const bundle = (
      await railyard.bundles.create({
        project: 'bench',
        version: '1.0.0',
        entries: [{ path: 'a.txt', content: 'x' }],
        createdBy: by,
      })
    ).id;
    const deploy = async () => {
      const deployment = await railyard.deployments.promote({ bundle, to: 'bench', by });
      await railyard.settle();
      return deployment.id;
    };
    // From the second deployment on, each one also retires the previous (7 transitions).
    await deploy();
    const before = await railyard.journal.head();
    const logBefore = (await stat(join(stateDir, LOG))).size;
    const commitsBefore = counter.commits;
    await settleHeap();
    let last;
    let transitions = 0;
    const result = await sample(async () => {
      for (let i = 0; i < DEPLOYMENTS; i++) last = await deploy();
      return DEPLOYMENTS; // the rate is restated per transition below, once the journal is counted
    });
    const final = await railyard.deployments.get(last);
    if (final?.status !== 'active')
      throw new Error(`engine-file: last deployment ended ${final?.status}, expected active`);
    for await (const entry of railyard.journal.read({ after: before.seq })) {
      if (entry.type === 'deployment.transition') transitions++;
    }
    const logBytes = (await stat(join(stateDir, LOG))).size - logBefore;
    const commits = counter.commits - commitsBefore;
    bytesPerTransition ??= Math.round(logBytes / transitions);
    return {
      ...result,
      ops: transitions,
      rate: transitions / (result.ms / 1000),
      perDeployment: transitions / DEPLOYMENTS,
      commitsPerDeployment: commits / DEPLOYMENTS,
      bytesPerTransition: logBytes / transitions,
      bytesPerCommit: logBytes / commits,
    };
  } finally {
    await railyard.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The raw durable write: temp file, write, fsync, close, rename over the target, fsync the directory. */
async function rawSample() {
  const dir = await freshDir('raw');
  const payload = randomBytes(bytesPerTransition ?? 1024);
  const temp = join(dir, 'value.tmp');
  const target = join(dir, 'value');
  try {
    await settleHeap();
    return await sample(async () => {
      for (let i = 0; i < RAW_OPS; i++) {
        const file = await open(temp, 'w');
        try {
          await file.write(payload, 0, payload.length, 0);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temp, target);
        const handle = await open(dir, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      return RAW_OPS;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run() {
  note(
    `engine-file: ${ROUNDS} interleaved rounds (+${WARMUP} warm-up) in ${root}; engine sample = ${DEPLOYMENTS} deployments on fresh file stores (fsync on), raw sample = ${RAW_OPS} write+fsync+rename+fsync-dir ops`,
  );
  try {
    const { subject, baseline, ratios } = await interleave({
      subject: engineSample,
      baseline: rawSample,
      rounds: ROUNDS,
      warmup: WARMUP,
    });
    const tps = median(subject.map((s) => s.rate));
    const ops = median(baseline.map((s) => s.rate));
    const s0 = subject[0];
    note(
      `railyard transitions/s ${spread(subject.map((s) => s.rate))}; raw ops/s ${spread(baseline.map((s) => s.rate))}`,
    );
    note(
      `per deployment: ${round(s0.perDeployment)} deployment.transition entries, ${round(s0.commitsPerDeployment)} commits (each one log append + fdatasync); ${round(s0.bytesPerCommit)} log bytes per commit, ${round(s0.bytesPerTransition)} per transition (raw payload ${bytesPerTransition} B)`,
    );
    note(
      `per transition: railyard ${round(1e6 / tps)} µs, raw durable write ${round(1e6 / ops)} µs; railyard deployments/s ${round(tps / s0.perDeployment)}; per-round ratio ${spread(ratios)}`,
    );
    return [
      { name: 'engine-file', value: tps, unit: 'transitions/s', baseline: 'raw-fsync-rename', ratio: median(ratios) },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
