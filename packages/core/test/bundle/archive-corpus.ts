import { ArchiveError, BlobIntegrityError } from '@railyard/core/errors';
import {
  blobParts,
  bytes,
  type designBundle,
  findEntry,
  type Part,
  packParts,
  patchEntrySize,
  pattern,
  sha256,
  withManifest,
} from './archive-helpers.js';

export type Design = Awaited<ReturnType<typeof designBundle>>;

/** One hostile archive: how to build it from a valid export, and the refusal it must get. */
export interface HostileCase {
  name: string;
  archive: () => Promise<Uint8Array>;
  error: typeof ArchiveError | typeof BlobIntegrityError;
  /** `details.reason` of the ArchiveError (none for BlobIntegrityError). */
  reason: string | null;
  limits?: Record<string, number>;
}

const refused = (
  name: string,
  reason: string,
  archive: () => Promise<Uint8Array>,
  limits?: Record<string, number>,
): HostileCase => ({ name, reason, archive, error: ArchiveError, ...(limits ? { limits } : {}) });

/** The path, link and entry-kind attacks: each added after every valid blob, so those are staged first. */
export function entryCases(get: () => Design): HostileCase[] {
  const parts = () => get().parts;
  const last = () => blobParts(parts()).at(-1)!;
  const withExtra = (extra: Part) => packParts([...parts(), extra]);
  const replaceLast = (replacement: Omit<Part, 'name'>) =>
    packParts(parts().map((p) => (p === last() ? { name: last().name, ...replacement } : p)));
  const x = bytes('x');
  return [
    refused('a ../ path', 'unsafe-path', () => withExtra({ name: '../evil.sh', content: x })),
    refused('a ../ path inside an allowed prefix', 'unsafe-path', () =>
      withExtra({ name: 'blobs/sha256/../../../etc/cron.d/x', content: x }),
    ),
    refused('a long (PAX) name with .. segments', 'unsafe-path', () =>
      withExtra({ name: `blobs/${'a'.repeat(120)}/../../../x`, content: x }),
    ),
    refused('a NUL byte in a PAX path', 'unsafe-path', () =>
      withExtra({ name: 'innocent', pax: { path: 'manifest.json\u0000.evil' }, content: x }),
    ),
    refused('an absolute path', 'unsafe-path', () => withExtra({ name: '/etc/passwd', content: x })),
    refused('a backslash path', 'unsafe-path', () => withExtra({ name: 'blobs\\..\\evil', content: x })),
    refused('a symlink entry in place of a blob', 'link', () =>
      replaceLast({ type: 'symlink', linkname: '/etc/passwd' }),
    ),
    refused('a hardlink entry in place of a blob', 'link', () =>
      replaceLast({ type: 'link', linkname: 'manifest.json' }),
    ),
    refused('a directory entry', 'not-a-regular-file', () => withExtra({ name: 'blobs', type: 'directory' })),
    refused('a character device', 'not-a-regular-file', () =>
      withExtra({ name: 'dev-null', type: 'character-device' }),
    ),
    refused('a FIFO', 'not-a-regular-file', () => withExtra({ name: 'pipe', type: 'fifo' })),
    refused('a duplicate name', 'duplicate-entry', () => withExtra(last())),
    refused('a blob absent from the manifest', 'not-in-manifest', () =>
      withExtra({ name: `blobs/sha256/${sha256('intruder').slice(7)}`, content: bytes('intruder') }),
    ),
    refused('an entry outside the format', 'unknown-entry', () => withExtra({ name: 'README.md', content: x })),
    refused('a missing blob', 'missing-blob', () => packParts(parts().filter((p) => p !== last()))),
    refused('a blob before the manifest', 'out-of-order', () =>
      packParts([parts()[0]!, last(), ...parts().slice(1, -1)]),
    ),
    refused('no format header first', 'out-of-order', () => packParts(parts().slice(1))),
    refused('a signature after a blob', 'out-of-order', () => {
      const [header, manifest, signature, ...blobs] = parts();
      return packParts([header!, manifest!, ...blobs, signature!]);
    }),
    refused('an empty archive', 'missing-entry', () => packParts([])),
    refused('bytes that are not a tar', 'malformed', async () => pattern(4096, 3)),
  ];
}

/** Integrity, size, limit and manifest attacks. */
export function contentCases(get: () => Design): HostileCase[] {
  const parts = () => get().parts;
  const last = () => blobParts(parts()).at(-1)!;
  const weights = () => blobParts(parts()).find((p) => p.content?.byteLength === 5000)!;
  const replacing = (name: string, content: Uint8Array) =>
    packParts(parts().map((p) => (p.name === name ? { name, content } : p)));
  const valid = async () => get().archive;
  return [
    {
      name: 'a digest mismatch',
      reason: null,
      error: BlobIntegrityError,
      archive: () => {
        const flipped = Buffer.from(weights().content!);
        flipped[4999] = (flipped[4999] ?? 0) ^ 1;
        return replacing(weights().name, flipped);
      },
    },
    refused('a truncated archive', 'truncated', async () => {
      const { data, size } = findEntry(get().archive, weights().name);
      return get().archive.subarray(0, data + Math.floor(size / 2));
    }),
    refused('a tar header declaring more bytes than the data (and the manifest)', 'size-mismatch', async () =>
      patchEntrySize(get().archive, last().name, 100_000),
    ),
    refused('a declared size larger than the data, in the tar header and the manifest alike', 'truncated', async () => {
      const grown = withManifest(parts(), (m) => ({
        ...m,
        entries: (m.entries as { digest: string; size: number }[]).map((e) =>
          `blobs/sha256/${e.digest.slice(7)}` === last().name ? { ...e, size: 100_000 } : e,
        ),
      }));
      return patchEntrySize(await packParts(grown), last().name, 100_000);
    }),
    refused('an oversized entry (small limit)', 'entry-too-large', valid, { maxEntryBytes: 1000 }),
    refused('too many entries', 'too-many-entries', valid, { maxEntries: 4 }),
    refused('more bytes than the total limit', 'archive-too-large', valid, { maxTotalBytes: 4096 }),
    refused('a name over the path limit', 'path-too-long', valid, { maxPathLength: 40 }),
    refused('a manifest over its limit', 'manifest-too-large', valid, { maxManifestBytes: 200 }),
    refused('a manifest that does not match its id', 'manifest-mismatch', () => {
      const manifest = parts().find((p) => p.name === 'manifest.json')!;
      return replacing('manifest.json', bytes(Buffer.from(manifest.content!).toString().replace('"1.0.0"', '"1.0.1"')));
    }),
    refused('a manifest that is not in canonical form', 'manifest-mismatch', () =>
      packParts(
        withManifest(
          parts(),
          (m) => m,
          (m) => JSON.stringify(m, null, 2),
        ),
      ),
    ),
    refused('a manifest that is not a manifest', 'invalid-manifest', () =>
      packParts(withManifest(parts(), (m) => ({ ...m, extra: true }))),
    ),
    refused('a manifest with a path escaping the project', 'invalid-manifest', () =>
      packParts(
        withManifest(parts(), (m) => ({
          ...m,
          entries: (m.entries as { path: string }[]).map((e, i) => (i === 0 ? { ...e, path: '../../x' } : e)),
        })),
      ),
    ),
    refused('another format version', 'unsupported-format', () =>
      replacing('railyard-archive.json', bytes('{"format":"railyard.archive/v9"}')),
    ),
  ];
}
