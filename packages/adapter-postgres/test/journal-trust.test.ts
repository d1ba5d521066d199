import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
import { createRailyard, memoryBlobStore, verifyJournal } from '@railyard/core';
import {
  chainJournal,
  directoryCheckpointSink,
  GENESIS_HASH,
  type JournalDraft,
  type JournalEntry,
} from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, PG_URL, skipPg, testPool, useFileDatabase } from './pg.js';

const db = useFileDatabase('trust');
const keys = generateKeyPairSync('ed25519');
const draft = (i: number): JournalDraft => ({
  at: '2026-01-01T00:00:00.000Z',
  actor: { id: i === 3 ? 'approver' : 'alice', roles: ['ops'] },
  type: 'note.written',
  subject: { kind: 'note', id: String(i) },
  data: { i },
});

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe.skipIf(skipPg)('the journal against someone who can write the database (PostgreSQL server required)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('a rewrite with the trigger disabled and the chain recomputed passes the chain check, but verify() names the first rewritten entry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'railyard-pg-checkpoints-'));
    dirs.push(dir);
    const railyard = createRailyard({
      store: db.store,
      blobs: memoryBlobStore(),
      clock: createFakeClock(),
      checkpoints: {
        sink: directoryCheckpointSink({ dir }),
        privateKey: keys.privateKey,
        publicKey: keys.publicKey,
      },
    });
    await db.store.commit({ writes: [], journal: [1, 2, 3, 4].map(draft) });
    await db.store.commit({ writes: [], journal: [5, 6].map(draft) });
    await railyard.settle(); // the first checkpoint is due at once
    expect(await railyard.journal.verify()).toMatchObject({ ok: true, entries: 6 });

    // The database owner forges entry 3 (who approved) and recomputes every hash after it.
    const entries = await collect(db.store.readJournal({}));
    const drafts = entries.map(({ seq: _s, prevHash: _p, hash: _h, ...rest }) => rest);
    drafts[2] = { ...drafts[2]!, actor: { id: 'mallory', roles: ['ops'] } };
    const forged: JournalEntry[] = chainJournal({ seq: 0, hash: GENESIS_HASH }, drafts);
    const t = `"${db.schema}".journal`;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`ALTER TABLE ${t} DISABLE TRIGGER journal_append_only`);
      for (const entry of forged.slice(2)) {
        const { hash, ...body } = entry;
        await client.query(`UPDATE ${t} SET entry = $2, hash = $3, prev_hash = $4, actor_id = $5 WHERE seq = $1`, [
          entry.seq,
          JSON.stringify(body),
          hash,
          entry.prevHash,
          entry.actor.id,
        ]);
      }
      await client.query(`UPDATE "${db.schema}".journal_head SET hash = $1`, [forged.at(-1)!.hash]);
      await client.query(`ALTER TABLE ${t} ENABLE TRIGGER journal_append_only`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }

    const read = await collect(db.store.readJournal({}));
    expect(read[2]!.actor.id).toBe('mallory');
    // Unkeyed, the chain is consistent again: only the signed checkpoint outside the store tells.
    expect(await verifyJournal(db.store.readJournal({}))).toMatchObject({ ok: true });
    const result = await railyard.journal.verify();
    expect(result).toMatchObject({ ok: false, problem: { seq: 3, kind: 'rewritten' } });
    expect(!result.ok && result.problem.message).toContain('entry 3');
  });

  it('the role SQL of docs/postgres.md: the store works as the application role, which cannot alter or rewrite its tables', async () => {
    const doc = await readFile(new URL('../../../docs/postgres.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Running under a role that cannot alter its tables'));
    const blocks = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks).toHaveLength(2);
    const suffix = randomUUID().replaceAll('-', '').slice(0, 10);
    const names = { owner: `ry_owner_${suffix}`, app: `ry_app_${suffix}`, schema: `ry_roles_${suffix}` };
    const localise = (sql: string) =>
      sql
        .replaceAll('railyard_owner', names.owner)
        .replaceAll('railyard_app', names.app)
        .replace(/\brailyard\b/g, `"${names.schema}"`);
    const admin = db.pool;
    const as = (user: string) => {
      const url = new URL(PG_URL);
      url.username = user;
      url.password = '';
      return testPool({ connectionString: url.toString(), max: 3 });
    };
    const owner = as(names.owner);
    const app = as(names.app);
    try {
      await admin.query(localise(blocks[0]!));
      await migrate({ pool: owner, schema: names.schema });
      await admin.query(localise(blocks[1]!));

      expect((await app.query('SELECT current_user AS u')).rows[0].u).toBe(names.app);
      const store = await postgresStateStore({ pool: app, schema: names.schema });
      try {
        await store.commit({
          writes: [{ kind: 'note', id: 'a', expectedVersion: null, value: { n: 1 } }],
          journal: [draft(1), draft(2)],
        });
        await store.commit({ writes: [{ kind: 'note', id: 'a', expectedVersion: 1, value: { n: 2 } }], journal: [] });
        expect(await store.get('note', 'a')).toMatchObject({ version: 2, value: { n: 2 } });
        expect(await verifyJournal(store.readJournal({}))).toMatchObject({ ok: true, entries: 2 });
        if (store.claim) await store.claim({ kind: 'environment', owner: 'w1', leaseMs: 1000, limit: 1 });
      } finally {
        await store.close();
      }

      const t = `"${names.schema}".journal`;
      for (const statement of [
        `ALTER TABLE ${t} DISABLE TRIGGER journal_append_only`,
        `DROP TRIGGER journal_append_only ON ${t}`,
        `UPDATE ${t} SET actor_id = 'mallory' WHERE seq = 1`,
        `DELETE FROM ${t} WHERE seq = 2`,
        `TRUNCATE ${t}`,
        `ALTER TABLE "${names.schema}".records OWNER TO ${names.app}`,
      ]) {
        await expect(app.query(statement), statement).rejects.toMatchObject({ code: '42501' });
      }
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${t}`);
      expect(rows[0].n).toBe(2);
    } finally {
      await owner.end();
      await app.end();
      await dropSchema(admin, names.schema);
      await admin.query(`DROP ROLE IF EXISTS ${names.app}`);
      await admin.query(`DROP ROLE IF EXISTS ${names.owner}`);
    }
  });
});
