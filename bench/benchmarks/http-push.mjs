// http-push: MB/s of pushing a bundle with one 256 MiB blob to a production agent over loopback, the
// way a design site does it (httpTransport: HEAD for what is missing, a signed streaming PUT that the
// agent verifies while its file blob store writes and fsyncs, then the manifest), against a raw
// streaming upload of the same bytes with node:http (`http.request`, 1 MiB reads) to the same server
// process, which streams it into a file (4 MiB write buffer) and fsyncs. The server runs in a child
// process, as a production site would. Interleaved rounds; the agent's blob is deleted between rounds.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createAgent, httpTransport } from '@railyard/adapter-http';
import { createRailyard, fileBlobStore, memoryStateStore } from '@railyard/core';
import { interleave, median, note, QUICK, round, sample, settleHeap, spread } from '../lib.mjs';

const SIZE = (QUICK ? 16 : 256) * 1024 * 1024;
const ROUNDS = QUICK ? 3 : 7;
const WARMUP = 1;
const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const KEY = { id: 'bench', secrets: [SECRET], actor: { id: 'bench', roles: [] }, actions: ['push'], environments: '*' };

if (process.argv[2] === '--serve') await serve(process.argv[3]);

/** The server process: the agent on a file blob store, plus the raw upload route, on one node:http server. */
async function serve(dir) {
  const store = memoryStateStore();
  const production = createRailyard({ store, blobs: fileBlobStore({ dir: join(dir, 'blobs') }) });
  const agent = createAgent(production, { keys: [KEY], audience: 'bench', store, limits: { maxBlobBytes: 2 ** 34 } });
  mkdirSync(dir, { recursive: true });
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    if (req.url !== '/raw') return agent.handleNode(req, res);
    const sink = createWriteStream(join(dir, 'raw.out'), { highWaterMark: 4 * 1024 * 1024, flush: true });
    pipeline(req, sink).then(
      () => res.end(String(sink.bytesWritten)),
      (error) => res.writeHead(500).end(String(error)),
    );
  });
  server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
  process.stdin.on('end', () => process.exit(0)).resume(); // the benchmark went away
}

function startServer(dir) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
    });
    child.once('exit', (code) => reject(new Error(`http-push server exited (${code})`)));
  });
  const peakRss = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  };
  return { child, port, peakRss, stop: () => child.stdin.end() };
}

function rawUpload(url, file) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/raw`, { method: 'PUT', headers: { 'content-length': SIZE } }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => (Number(body) === SIZE ? resolve() : reject(new Error(`raw upload stored ${body}`))));
    });
    req.on('error', reject);
    createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(req);
  });
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'railyard-bench-http-'));
  const server = startServer(join(root, 'server'));
  try {
    await mkdir(join(root, 'project'), { recursive: true });
    await writeFile(join(root, 'project/railyard.project.json'), JSON.stringify({ project: 'bench' }));
    const file = join(root, 'project/data.bin');
    await pipeline(
      (async function* () {
        for (let i = 0; i < SIZE / 2 ** 20; i++) yield randomBytes(2 ** 20);
      })(),
      createWriteStream(file),
    );
    const designBlobs = fileBlobStore({ dir: join(root, 'design') });
    const design = createRailyard({ store: memoryStateStore(), blobs: designBlobs });
    const bundle = await design.bundles.build({
      dir: join(root, 'project'),
      version: '1.0.0',
      createdBy: { id: 'bench', roles: [] },
    });
    const entry = bundle.manifest.entries.find((e) => e.path === 'data.bin');
    const url = `http://127.0.0.1:${await server.port}`;
    const transport = httpTransport({ url, audience: 'bench', keyId: 'bench', secret: SECRET });
    const hex = entry.digest.slice('sha256:'.length);
    const stored = join(root, 'server/blobs/sha256', hex.slice(0, 2), hex);
    note(
      `http-push: ${ROUNDS} interleaved rounds (+${WARMUP} warm-up), ${SIZE / 2 ** 20} MiB blob, agent in a child process on a file blob store (fsync on), in ${root}`,
    );

    const subject = async () => {
      await rm(stored, { force: true });
      await settleHeap();
      return sample(async () => {
        const missing = await transport.missingBlobs([entry.digest]);
        if (missing.length !== 1) throw new Error('http-push: the agent already holds the blob');
        await transport.pushBlob({ digest: entry.digest, size: entry.size }, await designBlobs.get(entry.digest));
        await transport.pushBundle(bundle.manifest);
        return { ops: SIZE / 1e6 };
      });
    };
    const baseline = async () => {
      await settleHeap();
      return sample(async () => {
        await rawUpload(url, file);
        return { ops: SIZE / 1e6 };
      });
    };
    const { subject: s, baseline: b, ratios } = await interleave({ subject, baseline, rounds: ROUNDS, warmup: WARMUP });
    note(
      `railyard push MB/s ${spread(s.map((x) => x.rate))}; raw node:http upload MB/s ${spread(b.map((x) => x.rate))}; per-round ratio ${spread(ratios)}`,
    );
    note(`agent process peak RSS ${round(server.peakRss() / 2 ** 20)} MiB while receiving ${SIZE / 2 ** 20} MiB blobs`);
    await design.close();
    return [
      {
        name: 'http-push',
        value: median(s.map((x) => x.rate)),
        unit: 'MB/s',
        baseline: 'raw-node-http-upload',
        ratio: median(ratios),
      },
    ];
  } finally {
    server.stop();
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
    rmSync(root, { recursive: true, force: true });
  }
}
