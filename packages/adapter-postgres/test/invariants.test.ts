import { DeploymentInvariantError } from '@railyard/adapter-postgres';
import { describe, expect, it } from 'vitest';
import { skipPg, tableProbe, useFileDatabase } from './pg.js';

const db = useFileDatabase('inv');
const { pool, schema } = db;
const deployment = (id: string, environment: string, status: string) => ({
  id,
  environment,
  status,
  kind: 'promotion',
});
const put = (id: string, expectedVersion: number | null, value: unknown) => ({
  kind: 'deployment',
  id,
  expectedVersion,
  value,
});

describe.skipIf(skipPg)('database invariants (PostgreSQL server required)', () => {
  it('refuses a second active deployment in an environment, as a version conflict, and changes nothing', async () => {
    await db.store.commit({ writes: [put('a/1', null, deployment('a/1', 'a', 'active'))], journal: [] });
    await db.store.commit({ writes: [put('b/1', null, deployment('b/1', 'b', 'active'))], journal: [] });
    await db.store.commit({ writes: [put('a/2', null, deployment('a/2', 'a', 'verifying'))], journal: [] });
    const error = await db.store
      .commit({
        writes: [
          put('a/2', 1, deployment('a/2', 'a', 'active')),
          put('a/3', null, deployment('a/3', 'a', 'requested')),
        ],
        journal: [
          {
            at: '2026-01-01T00:00:00.000Z',
            actor: { id: 'x', roles: [] },
            type: 't',
            subject: { kind: 'k', id: 'i' },
            data: {},
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentInvariantError);
    expect(error).toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { kind: 'deployment', id: 'a/2', invariant: 'active', environment: 'a' },
    });
    expect((error as Error).message).toMatch(/already has a deployment active.*re-read/);
    const probe = tableProbe(pool, schema);
    expect(await probe.readRecord('deployment', 'a/2')).toMatchObject({ version: 1, value: { status: 'verifying' } });
    expect(await probe.readRecord('deployment', 'a/3')).toBe(null);
    expect(await probe.readJournal()).toEqual([]);
    // Superseding the old one first, in the same commit, is fine.
    await db.store.commit({
      writes: [put('a/1', 1, deployment('a/1', 'a', 'superseded')), put('a/2', 1, deployment('a/2', 'a', 'active'))],
      journal: [],
    });
  });

  it('refuses a second in-flight deployment in an environment', async () => {
    await db.store.commit({ writes: [put('c/1', null, deployment('c/1', 'c', 'preflight'))], journal: [] });
    await db.store.commit({ writes: [put('d/1', null, deployment('d/1', 'd', 'preflight'))], journal: [] });
    for (const status of ['transferring', 'preflight', 'activating', 'verifying']) {
      await expect(
        db.store.commit({ writes: [put(`c/${status}`, null, deployment(`c/${status}`, 'c', status))], journal: [] }),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', details: { invariant: 'in flight', environment: 'c' } });
    }
    await db.store.commit({ writes: [put('c/2', null, deployment('c/2', 'c', 'approved'))], journal: [] });
  });

  it('holds against writes that bypass the store', async () => {
    await expect(
      pool.query(`INSERT INTO "${schema}".records (kind, id, version, value) VALUES ('deployment', 'b/2', 1, $1)`, [
        JSON.stringify(deployment('b/2', 'b', 'active')),
      ]),
    ).rejects.toMatchObject({ code: '23505', constraint: 'records_one_active_deployment' });
  });

  it('keeps the journal append-only', async () => {
    await db.store.commit({
      writes: [],
      journal: [
        {
          at: '2026-01-01T00:00:00.000Z',
          actor: { id: 'x', roles: [] },
          type: 't',
          subject: { kind: 'k', id: 'i' },
          data: {},
        },
      ],
    });
    for (const sql of ['UPDATE "S".journal SET type = $$forged$$', 'DELETE FROM "S".journal', 'TRUNCATE "S".journal']) {
      await expect(pool.query(sql.replace('S', schema))).rejects.toThrow(/append-only/);
    }
  });
});
