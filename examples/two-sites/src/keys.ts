import type { AgentKey } from '@railyard/adapter-http';

/** The environment variables through which the orchestrator hands each process its secrets. */
export const SECRET_ENV = { design: 'RAILYARD_DESIGN_SECRET', ops: 'RAILYARD_OPS_SECRET' } as const;

/**
 * The production agent's name in every signature: requests signed for another agent (a staging
 * site with the same keys) are refused. A real installation uses its public URL.
 */
export const PRODUCTION_AUDIENCE = 'railyard-production';

/**
 * The production agent's keys: the design site may push bundles, request promotions into
 * production and read; the ops key (the people accountable for production) may approve, reject,
 * roll back and read. Neither may do the other's job.
 */
export function productionKeys(secrets: { design: string; ops: string }): AgentKey[] {
  return [
    {
      id: 'design-site',
      secrets: [secrets.design],
      actor: { id: 'design-site', roles: ['designer'] },
      actions: ['push', 'promote', 'read'],
      environments: ['production'],
      actOnBehalf: true,
      // The only people the design site may name as requesters: never the production approver.
      actOnBehalfOf: ['rory', 'dana'],
    },
    {
      id: 'ops',
      secrets: [secrets.ops],
      actor: { id: 'olga', roles: ['ops'] },
      actions: ['approve', 'rollback', 'read'],
      environments: '*',
    },
  ];
}

/** Reads a required environment variable, or says which one is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (src/main.ts does it for you: run "npm run example:two-sites").`);
  return value;
}
