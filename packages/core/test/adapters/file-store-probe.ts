import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from '@railyard/core/adapters';
import type { BlobStoreProbe, StateStoreProbe } from '@railyard/core/testing';

interface DiskState {
  records: Map<string, { version: number; value: unknown }>;
  journal: JournalEntry[];
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Checks a `{"sha256":…,"payload":…}` frame against the raw payload text and returns the payload. */
function unframe(line: string): Record<string, unknown> {
  const framed = JSON.parse(line) as { sha256: string; payload: Record<string, unknown> };
  const raw = line.slice(line.indexOf('"payload":') + '"payload":'.length, -1);
  if (createHash('sha256').update(raw).digest('hex') !== framed.sha256) throw new Error(`checksum mismatch: ${line}`);
  return framed.payload;
}

/**
 * Reads a file state store's directory the way an operator's tool would: snapshot, then every log
 * line past it, independently of the store's own loader.
 */
export async function readDisk(dir: string): Promise<DiskState> {
  const records = new Map<string, { version: number; value: unknown }>();
  const journal: JournalEntry[] = [];
  let base = 0;
  const snapshot = await readOptional(join(dir, 'snapshot.json'));
  if (snapshot !== null) {
    const payload = unframe(snapshot) as {
      commits: number;
      records: { kind: string; id: string; version: number; value: unknown }[];
      journal: JournalEntry[];
    };
    base = payload.commits;
    for (const { kind, id, version, value } of payload.records) records.set(`${kind}/${id}`, { version, value });
    journal.push(...payload.journal);
  }
  const log = (await readOptional(join(dir, 'log.ndjson'))) ?? '';
  for (const line of log.split('\n').filter((text) => text !== '')) {
    const commit = unframe(line) as {
      n: number;
      writes: { kind: string; id: string; value: unknown }[];
      versions: number[];
      journal: JournalEntry[];
    };
    if (commit.n <= base) continue;
    commit.writes.forEach((write, i) => {
      const key = `${write.kind}/${write.id}`;
      if (write.value === null) records.delete(key);
      else records.set(key, { version: commit.versions[i] as number, value: write.value });
    });
    journal.push(...commit.journal);
  }
  return { records, journal };
}

/** A state store probe reading the directory afresh on every call. */
export function fileStateProbe(dir: string): StateStoreProbe {
  return {
    readRecord: async (kind, id) => (await readDisk(dir)).records.get(`${kind}/${id}`) ?? null,
    readJournal: async () => (await readDisk(dir)).journal,
  };
}

/** A blob store probe reading `dir/sha256/ab/<hex>` directly. */
export function fileBlobProbe(dir: string): BlobStoreProbe {
  const pathOf = (digest: string) => {
    const hex = digest.slice('sha256:'.length);
    return join(dir, 'sha256', hex.slice(0, 2), hex);
  };
  return {
    async readRaw(digest) {
      try {
        return await readFile(pathOf(digest));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
