import { migrate, postgresStateStore } from '@railyard/adapter-postgres';
import { runStateStoreConformance } from '@railyard/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, skipPg, tableProbe, testPool } from './pg.js';

const framework = { describe, it, expect, beforeEach, afterEach };
const pool = testPool();
afterAll(() => pool.end());

describe.skipIf(skipPg)('postgresStateStore (PostgreSQL server required)', () => {
  runStateStoreConformance(framework, {
    name: 'postgresStateStore',
    capabilities: { watch: true, claim: true, journalHead: true, nonces: true },
    async create() {
      const schema = freshSchema('conf');
      await migrate({ pool, schema });
      return {
        store: await postgresStateStore({ pool, schema }),
        probe: tableProbe(pool, schema),
        cleanup: () => dropSchema(pool, schema),
      };
    },
  });
});
