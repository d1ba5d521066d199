import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JournalVerification, verifyJournal } from '@railyard/core';
import { openFileStateStore } from '@railyard/core/adapters';
import { NotFoundError } from '@railyard/core/errors';

/**
 * Verifies the journal of a file state store directory without opening it for writing: the store's
 * files are copied to a private temporary directory, the copy is opened and its chain re-hashed,
 * and the copy is removed. The original is only read, and its lock is neither taken nor checked.
 *
 * The one place `railyard journal verify --offline` calls: point it at core's own offline check
 * when there is one.
 */
export async function verifyOfflineStore(dir: string): Promise<JournalVerification> {
  const found = await stat(dir).catch(() => null);
  if (!found?.isDirectory()) {
    throw new NotFoundError(
      'state store directory',
      dir,
      'Pass the state directory of a file store, e.g. .railyard/state.',
    );
  }
  const copy = await mkdtemp(join(tmpdir(), 'railyard-verify-'));
  try {
    for (const name of await readdir(dir)) {
      if (name === 'lock' || name.endsWith('.tmp')) continue;
      await cp(join(dir, name), join(copy, name), { recursive: true });
    }
    let store: Awaited<ReturnType<typeof openFileStateStore>>;
    try {
      store = await openFileStateStore({ dir: copy, fsync: false });
    } catch (error) {
      // The store refuses to open when a file fails its checksum or its chain: that is the finding.
      const message = (error instanceof Error ? error.message : String(error)).replaceAll(copy, dir);
      return { ok: false, entries: 0, problem: { seq: 0, kind: 'malformed', message } };
    }
    try {
      return await verifyJournal(store.readJournal());
    } finally {
      await store.close();
    }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
