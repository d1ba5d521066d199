import { createRailyard, memoryBlobStore, memoryStateStore, memoryTransport } from '@railyard/core';
import { runTransportConformance } from '@railyard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

runTransportConformance(
  { describe, it, expect, beforeEach, afterEach },
  {
    name: 'memoryTransport',
    async create() {
      const remote = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
      await remote.environments.define({ id: 'production', policy: { approvals: { required: 1, roles: ['ops'] } } });
      return {
        transport: memoryTransport(remote),
        remote,
        environment: 'production',
        requester: { id: 'ci', roles: [] },
      };
    },
  },
);
