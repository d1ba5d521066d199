import { createHash } from 'node:crypto';
import type { BlobStore } from '../contracts/blob-store.js';
import { AdapterError } from '../errors/errors.js';
import { type ConformanceFramework, caught, codeOf } from './framework.js';

/** An out-of-band view of a blob store's backend (files, objects), read without the store under test. */
export interface BlobStoreProbe {
  /** The stored bytes of a blob, or `null` when the backend holds none. */
  readRaw(digest: string): Promise<Uint8Array | null>;
  /** Overwrites a stored blob's bytes behind the store's back (for suites that check read-side verification). */
  corrupt?(digest: string, bytes: Uint8Array): Promise<void>;
}

/** A fresh, isolated blob store for one test, with its probe. */
export interface BlobStoreUnderTest {
  /** The blob store under test. */
  blobs: BlobStore;
  /** Reads the backend directly, bypassing the store. */
  probe: BlobStoreProbe;
  /** Removes whatever `create` set up; runs after `blobs.close?.()`. */
  cleanup?(): Promise<void>;
}

/** What {@link runBlobStoreConformance} needs to know about the adapter. */
export interface BlobStoreConformanceOptions {
  /** Shown in the suite's name. */
  name: string;
  /** Creates an empty store; called once per test. */
  create(): Promise<BlobStoreUnderTest>;
}

const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const text = (value: string) => new TextEncoder().encode(value);

/** A cheap summary to compare large byte arrays with (deep-equal on megabytes is slow). */
const summary = (bytes: Uint8Array | null) => (bytes === null ? null : { size: bytes.byteLength, digest: sha(bytes) });

async function readAll(source: AsyncIterable<Uint8Array> | null): Promise<Buffer | null> {
  if (source === null) return null;
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += size) yield bytes.slice(offset, offset + size);
}

/** Deterministic, incompressible-looking bytes. */
function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = 2463534242;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/**
 * Registers the conformance cases every {@link BlobStore} must pass: digests and sizes computed
 * while streaming, refusal of mismatched digests and sizes with nothing stored, idempotent and
 * concurrent puts, has/stat/get/delete, malformed digests refused, and a multi-MiB stream.
 *
 * @example
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * runBlobStoreConformance({ describe, it, expect, beforeEach, afterEach }, {
 *   name: 'memory',
 *   async create() {
 *     const blobs = memoryBlobStore();
 *     return { blobs, probe: { readRaw: async (digest) => blobs.blobs.get(digest) ?? null } };
 *   },
 * });
 * ```
 */
export function runBlobStoreConformance(framework: ConformanceFramework, options: BlobStoreConformanceOptions): void {
  const { describe, it, expect, beforeEach, afterEach } = framework;
  let current: BlobStoreUnderTest | undefined;
  const ctx = (): BlobStoreUnderTest => {
    if (!current)
      throw new AdapterError(
        'blob store conformance: no store to test: create() failed (see its error) or the framework did not run beforeEach.',
      );
    return current;
  };
  const expectAbsent = async (digest: string) => {
    const { blobs, probe } = ctx();
    expect(await blobs.has(digest)).toBe(false);
    expect(await blobs.stat(digest)).toBe(null);
    expect(await blobs.get(digest)).toBe(null);
    expect(await probe.readRaw(digest)).toBe(null);
  };

  describe(`BlobStore conformance: ${options.name}`, () => {
    beforeEach(async () => {
      current = await options.create();
    });
    afterEach(async () => {
      const done = current;
      current = undefined;
      await done?.blobs.close?.();
      await done?.cleanup?.();
    });

    it('stores bytes under their sha256 digest and returns them unchanged', async () => {
      const { blobs, probe } = ctx();
      const bytes = text('hello, railyard');
      const info = await blobs.put(bytes);
      expect(info).toEqual({ digest: sha(bytes), size: bytes.byteLength });
      expect(await readAll(await blobs.get(info.digest))).toEqual(Buffer.from(bytes));
      expect(Buffer.from((await probe.readRaw(info.digest)) ?? [])).toEqual(Buffer.from(bytes));
      expect(await blobs.has(info.digest)).toBe(true);
      expect(await blobs.stat(info.digest)).toEqual(info);
    });

    it('stores an empty blob', async () => {
      const { blobs } = ctx();
      const info = await blobs.put(new Uint8Array(0), { size: 0 });
      expect(info).toEqual({ digest: sha(new Uint8Array(0)), size: 0 });
      expect(await readAll(await blobs.get(info.digest))).toEqual(Buffer.alloc(0));
    });

    it('hashes an async iterable of many uneven chunks as one blob', async () => {
      const { blobs } = ctx();
      const bytes = pattern(300_001);
      const info = await blobs.put(chunked(bytes, 997), { digest: sha(bytes), size: bytes.byteLength });
      expect(info).toEqual({ digest: sha(bytes), size: bytes.byteLength });
      expect(summary(await readAll(await blobs.get(info.digest)))).toEqual(info);
    });

    it('refuses bytes whose digest differs from the declared one and stores nothing', async () => {
      const bytes = text('the real content');
      const declared = sha(text('something else'));
      const error = await caught(expect, () => ctx().blobs.put(chunked(bytes, 4), { digest: declared }));
      expect(codeOf(error)).toBe('BLOB_INTEGRITY');
      await expectAbsent(sha(bytes));
      await expectAbsent(declared);
    });

    it('refuses a stream longer than its declared size and stores nothing', async () => {
      const bytes = pattern(10_000);
      expect(codeOf(await caught(expect, () => ctx().blobs.put(chunked(bytes, 1000), { size: 9_999 })))).toBe(
        'BLOB_INTEGRITY',
      );
      await expectAbsent(sha(bytes));
    });

    it('refuses a stream shorter than its declared size and stores nothing', async () => {
      const bytes = pattern(10_000);
      expect(codeOf(await caught(expect, () => ctx().blobs.put(chunked(bytes, 1000), { size: 10_001 })))).toBe(
        'BLOB_INTEGRITY',
      );
      await expectAbsent(sha(bytes));
    });

    it('passes on the error of a source that fails midway and stores nothing', async () => {
      const bytes = pattern(5_000);
      async function* failing() {
        yield bytes.slice(0, 1000);
        throw new Error('source broke');
      }
      const error = await caught(expect, () => ctx().blobs.put(failing()));
      expect((error as Error).message).toBe('source broke');
      await expectAbsent(sha(bytes.slice(0, 1000)));
      await expectAbsent(sha(bytes));
    });

    it('treats putting the same content twice as a no-op', async () => {
      const { blobs, probe } = ctx();
      const bytes = text('twice');
      const first = await blobs.put(bytes);
      const second = await blobs.put(chunked(bytes, 2), { digest: first.digest, size: first.size });
      expect(second).toEqual(first);
      expect(Buffer.from((await probe.readRaw(first.digest)) ?? [])).toEqual(Buffer.from(bytes));
    });

    it('has, stat and get report absent blobs; delete removes a blob and tolerates absent ones', async () => {
      const { blobs, probe } = ctx();
      const missing = sha(text('never stored'));
      await expectAbsent(missing);
      await blobs.delete(missing);
      const kept = await blobs.put(text('kept'));
      const info = await blobs.put(text('deleted'));
      await blobs.delete(info.digest);
      await expectAbsent(info.digest);
      expect(await blobs.has(kept.digest)).toBe(true);
      expect((await probe.readRaw(kept.digest)) === null).toBe(false);
    });

    it('refuses malformed digests with a ValidationError', async () => {
      const { blobs } = ctx();
      const bad = [
        '',
        'sha256:',
        'md5:abc',
        `sha256:${'A'.repeat(64)}`,
        `sha256:${'a'.repeat(63)}`,
        'sha256:../../etc/passwd',
        `sha256:${'a'.repeat(62)}/x`,
        `../sha256:${'a'.repeat(64)}`,
      ];
      for (const digest of bad) {
        for (const call of [
          () => blobs.get(digest),
          () => blobs.has(digest),
          () => blobs.stat(digest),
          () => blobs.delete(digest),
        ]) {
          expect(codeOf(await caught(expect, call))).toBe('VALIDATION');
        }
        expect(codeOf(await caught(expect, () => blobs.put(text('x'), { digest })))).toBe('VALIDATION');
      }
    });

    it('lets concurrent puts of the same content both succeed with one blob stored', async () => {
      const { blobs, probe } = ctx();
      const bytes = pattern(200_000);
      const results = await Promise.all([
        blobs.put(chunked(bytes, 4096)),
        blobs.put(chunked(bytes, 3000)),
        blobs.put(bytes),
      ]);
      expect(results).toEqual(results.map(() => ({ digest: sha(bytes), size: bytes.byteLength })));
      expect(summary(await probe.readRaw(sha(bytes)))).toEqual(results[0]);
      expect(summary(await readAll(await blobs.get(sha(bytes))))).toEqual(results[0]);
    });

    it('streams a 5 MiB blob in and out', async () => {
      const { blobs } = ctx();
      const bytes = pattern(5 * 1024 * 1024);
      const info = await blobs.put(chunked(bytes, 64 * 1024), { size: bytes.byteLength });
      expect(info).toEqual({ digest: sha(bytes), size: bytes.byteLength });
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of (await blobs.get(info.digest)) ?? []) {
        hash.update(chunk);
        size += chunk.byteLength;
      }
      expect({ size, digest: `sha256:${hash.digest('hex')}` }).toEqual(info);
    });
  });
}
