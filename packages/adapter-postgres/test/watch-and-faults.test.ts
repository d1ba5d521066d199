import { postgresStateStore } from '@railyard/adapter-postgres';
import { describe, expect, it } from 'vitest';
import { skipPg, tableProbe, testPool, useFileDatabase } from './pg.js';

const db = useFileDatabase('wf');
const { pool, schema } = db;
const note = (id: string, expectedVersion: number | null, value: unknown) => ({
  kind: 'note',
  id,
  expectedVersion,
  value,
});
const draft = {
  at: '2026-01-01T00:00:00.000Z',
  actor: { id: 'a', roles: [] },
  type: 't',
  subject: { kind: 'note', id: 'x' },
  data: {},
};

/** Polls the database (not the clock) until `query` returns a row; the wait is for PostgreSQL. */
async function waitForRow(sql: string, values: unknown[] = []): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await pool.query(sql, values);
    if (rows[0]) return rows[0];
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no row for ${sql}`);
}

/** Resolves on the listener's next call. */
function nextCall(watch: (listener: () => void) => () => void): Promise<void> {
  return new Promise((resolve) => {
    const stop = watch(() => {
      stop();
      resolve();
    });
  });
}

describe.skipIf(skipPg)('watch and faults (PostgreSQL server required)', () => {
  it("hears another process's commits through LISTEN/NOTIFY, and reconnects when the connection is killed", async () => {
    // The watching store has a pool of its own, so its backends are easy to find and kill.
    const watchPool = testPool({ application_name: `${schema}-watch` });
    const watching = await postgresStateStore({ pool: watchPool, schema, pollMs: 50 });
    try {
      let calls = 0;
      const stop = watching.watch(() => void calls++);
      const listenPid = (
        await waitForRow(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`, [
          `${schema}-watch`,
        ])
      ).pid;
      const heard = nextCall((l) => watching.watch(l));
      await db.store.commit({ writes: [note('w', null, 1)], journal: [] });
      await heard;
      expect(await watching.get('note', 'w')).toMatchObject({ version: 1 });

      await pool.query('SELECT pg_terminate_backend($1)', [listenPid]);
      // Lost connection: watchers are woken (they must look for themselves), then it listens again.
      await waitForRow(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%' AND pid <> $2`,
        [`${schema}-watch`, listenPid],
      );
      const heardAgain = nextCall((l) => watching.watch(l));
      await db.store.commit({ writes: [note('w', 1, 2)], journal: [] });
      await heardAgain;
      expect(await watching.get('note', 'w')).toMatchObject({ version: 2 });
      expect(calls).toBeGreaterThanOrEqual(3);
      stop();
    } finally {
      await watching.close();
      await watchPool.end();
    }
  });

  it('a connection dropped mid-commit gives a retryable error and leaves no partial write', async () => {
    await db.store.commit({ writes: [note('a', null, 'a1'), note('b', null, 'b1')], journal: [draft] });
    const probe = tableProbe(pool, schema);
    const before = await probe.readJournal();
    // Hold the journal head, so the commit stops after both writes, before its journal entry.
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT * FROM "${schema}".journal_head FOR UPDATE`);
    const committing = db.store
      .commit({ writes: [note('a', 1, 'a2'), note('b', 1, 'b2')], journal: [draft] })
      .catch((error: unknown) => error);
    const { pid } = await waitForRow(
      `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%"${schema}".commit(%`],
    );
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = await committing;
    await blocker.query('ROLLBACK');
    blocker.release();
    expect(error).toMatchObject({ code: 'ADAPTER', retryable: true });
    expect(await probe.readRecord('note', 'a')).toEqual({ version: 1, value: 'a1' });
    expect(await probe.readRecord('note', 'b')).toEqual({ version: 1, value: 'b1' });
    expect(await probe.readJournal()).toEqual(before);
    // The pool replaced the dead connection: the same commit now goes through.
    expect(
      (await db.store.commit({ writes: [note('a', 1, 'a2'), note('b', 1, 'b2')], journal: [draft] })).versions,
    ).toEqual([2, 2]);
  });

  it('reports an unreachable server as a retryable error', async () => {
    const nowhere = testPool({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    try {
      await expect(postgresStateStore({ pool: nowhere, schema })).rejects.toMatchObject({
        code: 'ADAPTER',
        retryable: true,
      });
    } finally {
      await nowhere.end();
    }
  });
});
