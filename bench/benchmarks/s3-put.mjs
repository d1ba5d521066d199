// s3-put: MB/s of a 256 MiB blob put through s3BlobStore (hashing while streaming, verified, then
// a HEAD to check the stored size), against a raw lib-storage Upload of the same bytes, with the same
// client, part size and queue size, to the same s3rver (a separate node process on 127.0.0.1),
// interleaved in the same process. Both read the bytes from memory in 1 MiB chunks. s3rver is
// CPU-bound and single-threaded, so the figures measure it as much as the client (perf-anchors §4).
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { s3BlobStore } from '@railyard/adapter-s3';
import { interleave, median, note, QUICK, round, sample, settleHeap, spread } from '../lib.mjs';

const MiB = 1024 * 1024;
const SIZE = QUICK ? 12 * MiB : 256 * MiB;
const PART_SIZE = QUICK ? 5 * MiB : 16 * MiB;
const QUEUE_SIZE = 4;
const ROUNDS = QUICK ? 3 : 5;
const WARMUP = 1;
const BUCKET = 'bench';

/**
 * Starts s3rver in a child node process on an OS-assigned port, storing under `dir`.
 * @returns {Promise<{ port: number, pid: number, stop: () => Promise<void> }>}
 */
export async function startS3rver(dir) {
  const entry = createRequire(import.meta.url).resolve('s3rver');
  const code = `const S3rver = require(${JSON.stringify(entry)});
new S3rver({ address: '127.0.0.1', port: 0, directory: ${JSON.stringify(dir)}, silent: true,
  configureBuckets: [{ name: ${JSON.stringify(BUCKET)} }] }).run().then((a) => console.log('PORT ' + a.port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        });
  process.on('exit', () => child.kill('SIGKILL'));
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (status) => reject(new Error(`s3rver exited (${status}) before listening`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
    });
  });
  return { port, pid: child.pid, stop };
}

/** CPU seconds a process has used, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export function clientFor(port) {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function* chunks(bytes) {
  for (let offset = 0; offset < bytes.byteLength; offset += MiB) yield bytes.subarray(offset, offset + MiB);
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'railyard-bench-s3-'));
  const server = await startS3rver(dir);
  const client = clientFor(server.port);
  try {
    const bytes = randomFillSync(Buffer.allocUnsafe(SIZE));
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const blobs = s3BlobStore({ client, bucket: BUCKET, prefix: 'bench', partSize: PART_SIZE, queueSize: QUEUE_SIZE });
    note(
      `s3-put: ${ROUNDS} interleaved rounds (+${WARMUP} warm-up) of ${SIZE / MiB} MiB, ${PART_SIZE / MiB} MiB parts, queue ${QUEUE_SIZE}; s3rver pid ${server.pid} on 127.0.0.1:${server.port}, data in ${dir}`,
    );
    const timed = async (upload, cleanup) => {
      await settleHeap();
      const cpu0 = process.cpuUsage();
      const server0 = cpuSeconds(server.pid);
      const result = await sample(async () => {
        await upload();
        return SIZE / 1e6; // the rate is in MB/s
      });
      const cpu = process.cpuUsage(cpu0);
      const extra = { clientCpu: (cpu.user + cpu.system) / 1e6, serverCpu: cpuSeconds(server.pid) - server0 };
      await cleanup();
      return { ...result, ...extra };
    };
    const adapter = () =>
      timed(
        async () => {
          const info = await blobs.put(chunks(bytes), { digest, size: SIZE });
          if (info.digest !== digest) throw new Error('s3-put: the adapter returned another digest');
        },
        () => blobs.delete(digest),
      );
    const raw = (r) => {
      const Key = `raw/${r}`;
      return timed(
        async () => {
          await new Upload({
            client,
            partSize: PART_SIZE,
            queueSize: QUEUE_SIZE,
            params: { Bucket: BUCKET, Key, Body: Readable.from(chunks(bytes)) },
          }).done();
          const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key }));
          if (head.ContentLength !== SIZE) throw new Error(`s3-put: raw upload stored ${head.ContentLength} bytes`);
        },
        () => client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key })),
      );
    };
    const { subject, baseline, ratios } = await interleave({
      subject: adapter,
      baseline: raw,
      rounds: ROUNDS,
      warmup: WARMUP,
    });
    const perUpload = (samples, field) => round(median(samples.map((s) => s[field])));
    note(
      `adapter MB/s ${spread(subject.map((s) => s.rate))}; raw lib-storage MB/s ${spread(baseline.map((s) => s.rate))}`,
    );
    note(
      `CPU s per upload (median): adapter client ${perUpload(subject, 'clientCpu')} / s3rver ${perUpload(subject, 'serverCpu')}; raw client ${perUpload(baseline, 'clientCpu')} / s3rver ${perUpload(baseline, 'serverCpu')}; per-round ratio ${spread(ratios)}`,
    );
    return [
      {
        name: 's3-put',
        value: median(subject.map((s) => s.rate)),
        unit: 'MB/s',
        baseline: 'raw-lib-storage-upload',
        ratio: median(ratios),
      },
    ];
  } finally {
    client.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
