import type { Railyard } from '@railyard/core';
import type { StateStore } from '@railyard/core/adapters';
import { describe, expect, it } from 'vitest';
import { createBundle, createWorld, designer, operator, promoteToProduction, requester } from './fixtures.js';

/** Everything stored: every record of every kind the engine writes, and the journal length. */
async function storedState(store: StateStore) {
  const kinds = ['environment', 'deployment', 'bundle', 'bundle-version', 'idempotency', 'remote-deployment'];
  const records: Record<string, unknown> = {};
  for (const kind of kinds) records[kind] = (await store.list(kind, { limit: 1000 })).items;
  let journal = 0;
  for await (const _ of store.readJournal()) journal++;
  return { records, journal };
}

describe('idempotent promotion', () => {
  it('returns the first deployment when the same key is sent again', async () => {
    const { railyard } = await createWorld();
    const bundle = await createBundle(railyard, '1.0.0');
    const first = await railyard.promote({
      bundle: bundle.id,
      to: 'design',
      by: designer,
      idempotencyKey: 'ci-run-42',
    });
    const again = await railyard.promote({
      bundle: bundle.id,
      to: 'design',
      by: designer,
      idempotencyKey: 'ci-run-42',
    });
    expect(again.id).toBe(first.id);
    expect(await railyard.history('design')).toHaveLength(1);
  });

  it('refuses the same key for a different bundle', async () => {
    const { railyard } = await createWorld();
    const a = await createBundle(railyard, '1.0.0');
    const b = await createBundle(railyard, '1.1.0');
    await railyard.promote({ bundle: a.id, to: 'design', by: designer, idempotencyKey: 'k' });
    await expect(
      railyard.promote({ bundle: b.id, to: 'design', by: designer, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });
  });

  it('creates exactly one deployment when the same key races', async () => {
    const { railyard } = await createWorld();
    const bundle = await createBundle(railyard, '1.0.0');
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        railyard.promote({ bundle: bundle.id, to: 'design', by: designer, idempotencyKey: 'race' }),
      ),
    );
    expect(new Set(results.map((d) => d.id)).size).toBe(1);
    expect(await railyard.history('design')).toHaveLength(1);
  });
});

describe('bad input', () => {
  const cases: Array<
    [string, (railyard: Railyard, ids: { bundle: string; deployment: string }) => Promise<unknown>, string]
  > = [
    ['promote without an actor', (r, ids) => r.promote({ bundle: ids.bundle, to: 'production' } as never), 'by'],
    [
      'promote to a malformed environment id',
      (r, ids) => r.promote({ bundle: ids.bundle, to: 'Prod!', by: requester }),
      'to',
    ],
    [
      'promote with a malformed digest',
      (r) => r.promote({ bundle: 'sha256:nope', to: 'production', by: requester }),
      'bundle',
    ],
    [
      'promote with an unknown field',
      (r, ids) => r.promote({ bundle: ids.bundle, to: 'production', by: requester, force: true } as never),
      'force',
    ],
    [
      'approve with roles of the wrong type',
      (r, ids) => r.approve(ids.deployment, { by: { id: 'x', roles: 'ops' } } as never),
      'by.roles',
    ],
    ['reject with an empty actor id', (r, ids) => r.reject(ids.deployment, { by: { id: '', roles: [] } }), 'by.id'],
    [
      'cancel with a non-string reason',
      (r, ids) => r.cancel(ids.deployment, { by: requester, reason: 42 } as never),
      'reason',
    ],
    ['abandon with no actor', (r, ids) => r.abandon(ids.deployment, {} as never), 'by'],
    ['rollback without a reason', (r) => r.rollback('production', { by: operator } as never), 'reason'],
    ['resume with a bad environment id', (r) => r.resume('../etc', { by: operator }), 'resume environment'],
    [
      'define an environment with a negative approval count',
      (r) => r.environments.define({ id: 'qa', policy: { approvals: { required: -1, roles: ['ops'] } } }),
      'policy.approvals.required',
    ],
    [
      'define an environment promoting from an unknown one',
      (r) => r.environments.define({ id: 'qa', promotesFrom: ['nowhere'] }),
      'promotesFrom',
    ],
    [
      'create a bundle with a bad version',
      (r) => r.bundles.create({ project: 'churn', version: 'v1', entries: [], createdBy: designer }),
      'version',
    ],
    [
      'create a bundle with a path escaping the project',
      (r) =>
        r.bundles.create({
          project: 'churn',
          version: '3.0.0',
          entries: [{ path: '../x', content: 'x' }],
          createdBy: designer,
        }),
      'entries',
    ],
    ['history with a zero limit', (r) => r.history('production', { limit: 0 }), 'limit'],
  ];

  for (const [name, call, field] of cases) {
    it(`${name}: a ValidationError naming "${field}", and nothing stored changes`, async () => {
      const world = await createWorld();
      const { deployment, bundle } = await promoteToProduction(world, '1.0.0');
      const before = await storedState(world.store);
      const error = await call(world.railyard, { bundle: bundle.id, deployment: deployment.id }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'VALIDATION', name: 'ValidationError' });
      const issues = (error as { details: { issues?: Array<{ path: string }> } }).details.issues ?? [];
      expect(`${issues.map((issue) => issue.path).join(' ')} ${(error as Error).message}`).toContain(field);
      expect(await storedState(world.store)).toEqual(before);
    });
  }

  it('names unknown deployments and environments with NOT_FOUND', async () => {
    const { railyard } = await createWorld();
    await expect(railyard.approve('production/999999', { by: operator })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(railyard.rollback('staging', { by: operator, reason: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await railyard.deployment('production/999999')).toBeNull();
    expect(await railyard.environments.get('staging')).toBeNull();
  });

  it('refuses to republish a version with other content, and accepts the same content again', async () => {
    const { railyard } = await createWorld();
    const first = await createBundle(railyard, '1.0.0');
    const same = await createBundle(railyard, '1.0.0');
    expect(same.id).toBe(first.id);
    await expect(createBundle(railyard, '1.0.0', 'other weights')).rejects.toMatchObject({ code: 'BUNDLE_CONFLICT' });
  });
});
