import { DeploymentSchema, EnvironmentRecordSchema, JournalEntrySchema } from '@railyard/core';
import { z } from 'zod';

/** The documented JSON documents of `railyard --json` (docs/cli.md), one schema per command. */
export const Documents = {
  init: z.object({ created: z.array(z.string()).length(2), project: z.string() }).strict(),
  environments: z.object({ environments: z.array(EnvironmentRecordSchema) }).strict(),
  environment: z.object({ environment: EnvironmentRecordSchema }).strict(),
  deployment: z.object({ deployment: DeploymentSchema }).strict(),
  deployments: z.object({ deployments: z.array(DeploymentSchema) }).strict(),
  plan: z
    .object({
      plan: z.object({
        environment: z.string(),
        bundle: z.object({ id: z.string(), project: z.string(), version: z.string(), createdBy: z.string() }),
        active: z.object({ deploymentId: z.string(), version: z.string() }).nullable(),
        gates: z.array(
          z
            .object({ gate: z.string(), status: z.enum(['pass', 'block', 'pending']), reason: z.string() })
            .passthrough(),
        ),
        allowed: z.boolean(),
        text: z.string(),
      }),
    })
    .strict(),
  status: z
    .object({
      environments: z.array(
        z
          .object({
            environment: EnvironmentRecordSchema,
            inFlight: DeploymentSchema.nullable(),
            queued: z.array(DeploymentSchema),
            health: z
              .object({ environment: z.string(), level: z.enum(['ok', 'unknown', 'warning', 'critical']) })
              .passthrough()
              .nullable(),
          })
          .strict(),
      ),
    })
    .strict(),
  timeline: z.object({ entries: z.array(JournalEntrySchema) }).strict(),
  explanation: z
    .object({ explanation: z.object({ gates: z.array(z.unknown()), text: z.string() }).passthrough() })
    .strict(),
  health: z.object({ health: z.object({ environment: z.string(), level: z.string() }).passthrough() }).strict(),
  error: z
    .object({
      error: z
        .object({
          code: z.string(),
          message: z.string(),
          next: z.string(),
          exitCode: z.number().int(),
          details: z.record(z.string(), z.unknown()),
        })
        .strict(),
    })
    .strict(),
};
