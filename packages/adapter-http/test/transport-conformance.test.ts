import { httpTransport } from '@railyard/adapter-http';
import { runTransportConformance } from '@railyard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIENCE, requester, SECRETS, startProduction } from './helpers.js';

runTransportConformance(
  { describe, it, expect, beforeEach, afterEach },
  {
    name: 'httpTransport over loopback',
    async create() {
      const site = await startProduction();
      const transport = httpTransport({
        audience: AUDIENCE,
        url: site.url,
        keyId: 'design',
        secret: SECRETS.design,
        clock: site.clock,
      });
      return { transport, remote: site.production, environment: 'production', requester, cleanup: () => site.close() };
    },
  },
);
