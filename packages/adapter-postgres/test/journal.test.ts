import type { PostgresStateStore } from '@railyard/adapter-postgres';
import type { JournalDraft, JournalEntry } from '@railyard/core/adapters';
import { describe, expect, it } from 'vitest';
import { skipPg, useFileDatabase } from './pg.js';

const db = useFileDatabase('jrn');
const { pool, schema } = db;

const draft = (at: string, environment: string, i: number): JournalDraft => ({
  at,
  actor: { id: i % 2 ? 'bob' : 'alice', roles: [] },
  type: 'deployment.transition',
  subject: { kind: 'deployment', id: `${environment}/${i}` },
  environment,
  deploymentId: `${environment}/${i}`,
  data: { i },
});
async function read(query: Parameters<PostgresStateStore['readJournal']>[0]): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const entry of db.store.readJournal(query)) out.push(entry);
  return out;
}

describe.skipIf(skipPg)('journal and listing on PostgreSQL (PostgreSQL server required)', () => {
  it('reads by time range, combined with the other filters, across batches; a clock behind counts as the time before it', async () => {
    const drafts = Array.from({ length: 1200 }, (_, i) =>
      draft(new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), i % 3 ? 'staging' : 'production', i),
    );
    for (let i = 0; i < drafts.length; i += 300)
      await db.store.commit({ writes: [], journal: drafts.slice(i, i + 300) });
    const all = await read({});
    expect(all.map((e) => e.seq)).toEqual(drafts.map((_, i) => i + 1));
    const since = '2026-01-01T10:00:00.000Z'; // minute 600
    const until = '2026-01-01T15:00:00.000Z'; // minute 900
    expect((await read({ since })).map((e) => e.data.i)).toEqual(drafts.slice(600).map((d) => d.data.i));
    expect((await read({ since, until, environment: 'production' })).map((e) => e.data.i)).toEqual(
      drafts.filter((d, i) => i >= 600 && i < 900 && d.environment === 'production').map((d) => d.data.i),
    );
    expect((await read({ actorId: 'bob', after: 1000, limit: 3 })).map((e) => e.seq)).toEqual([1002, 1004, 1006]);
    await expect(read({ since: 'yesterday' })).rejects.toMatchObject({ code: 'VALIDATION' });
    // A writer whose clock is an hour behind: its entry counts at the journal's latest time.
    await db.store.commit({ writes: [], journal: [draft('2026-01-01T19:00:00.000Z', 'late', 9999)] });
    expect((await read({ since: '2026-01-01T19:59:00.000Z' })).map((e) => e.data.i)).toEqual([1199, 9999]);
    expect(await read({ until: '2026-01-01T00:00:00.000Z' })).toEqual([]);
  });

  it('answers filtered journal queries from indexes', async () => {
    await pool.query(`ANALYZE "${schema}".journal`);
    const plan = async (where: string) =>
      (await pool.query(`EXPLAIN SELECT entry FROM "${schema}".journal WHERE ${where} ORDER BY seq LIMIT 500`)).rows
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    expect(await plan(`deployment_id = 'production/3' AND seq > 0`)).toMatch(/journal_deployment/);
    // A time range is a seq range, its bounds found in the time index.
    const since = `(SELECT seq FROM "${schema}".journal WHERE time < '2026-01-01T15:00Z' ORDER BY time DESC, seq DESC LIMIT 1)`;
    expect(await plan(`seq > ${since}`)).toMatch(/journal_time[\s\S]*journal_pkey/);
  });

  it('lists ids in code point order under any prefix, including non-ASCII ones', async () => {
    const ids = ['é/1', 'é/2', 'éa', 'e/1', 'z', '\u{10ffff}x', '\u{10ffff}\u{10ffff}'];
    await db.store.commit({
      writes: ids.map((id) => ({ kind: 'n', id, expectedVersion: null, value: id })),
      journal: [],
    });
    const list = async (prefix: string) => (await db.store.list('n', { prefix })).items.map((item) => item.id);
    expect(await list('é/')).toEqual(['é/1', 'é/2']);
    expect(await list('é')).toEqual(['é/1', 'é/2', 'éa']);
    expect(await list('\u{10ffff}')).toEqual(['\u{10ffff}x', '\u{10ffff}\u{10ffff}'].sort());
    expect(await list('')).toHaveLength(ids.length);
  });

  it('refuses a write of undefined and a record written twice in one commit, changing nothing', async () => {
    const bad = [
      [{ kind: 'n', id: 'u', expectedVersion: null, value: undefined }],
      [
        { kind: 'n', id: 'twice', expectedVersion: null, value: 1 },
        { kind: 'n', id: 'twice', expectedVersion: null, value: 2 },
      ],
    ];
    for (const writes of bad)
      await expect(db.store.commit({ writes, journal: [] })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await db.store.get('n', 'twice')).toBe(null);
  });
});
