import { BundleManifestSchema, BundleSignatureSchema, JournalEntrySchema } from '@railyard/core';
import { z } from 'zod';

const BundleRecord = z
  .object({ id: z.string().regex(/^sha256:[0-9a-f]{64}$/), manifest: BundleManifestSchema })
  .passthrough();
const Problem = z.object({
  path: z.string(),
  digest: z.string(),
  problem: z.enum(['missing', 'altered']),
  message: z.string(),
});

/** The documented JSON documents of the bundle, journal and gc commands (docs/cli.md). */
export const OpsDocuments = {
  bundle: z.object({ bundle: BundleRecord }).strict(),
  bundles: z.object({ bundles: z.array(BundleRecord) }).strict(),
  show: z.object({ bundle: BundleRecord, signatures: z.array(BundleSignatureSchema) }).strict(),
  diff: z.object({ diff: z.object({ fromId: z.string(), toId: z.string(), text: z.string() }).passthrough() }).strict(),
  verification: z
    .object({
      verification: z
        .object({
          ok: z.literal(true),
          bundle: z.string(),
          checked: z.number(),
          bytes: z.number(),
          problems: z.array(Problem),
        })
        .strict(),
    })
    .strict(),
  signature: z.object({ signature: BundleSignatureSchema }).strict(),
  export: z.object({ export: z.object({ bundle: z.string(), out: z.string(), bytes: z.number() }).strict() }).strict(),
  journalVerification: z
    .object({
      verification: z
        .object({ ok: z.literal(true), entries: z.number(), head: z.object({ seq: z.number(), hash: z.string() }) })
        .strict(),
    })
    .strict(),
  journalLine: JournalEntrySchema,
  gc: z
    .object({
      dryRun: z.boolean(),
      removedBundles: z.array(z.string()),
      removedBlobs: z.array(z.string()),
      keptBundles: z.number(),
    })
    .strict(),
  error: z
    .object({
      error: z
        .object({
          code: z.string(),
          message: z.string(),
          next: z.string(),
          exitCode: z.number(),
          details: z.record(z.string(), z.unknown()),
        })
        .strict(),
    })
    .strict(),
};
