import * as z from 'zod';
import { deploymentMachine } from '../../machines/deployment-machine.js';
import { Actor } from '../../model/actor.js';
import { BundleRecord } from '../../model/bundle.js';
import { Deployment } from '../../model/deployment.js';
import { EnvironmentRecord } from '../../model/environment.js';
import { parseInput } from '../../model/parse-input.js';
import { BundleSignature } from '../../model/signature.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, listAll } from '../../runtime/records.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';

/** Input of `bundles.gc`. @hidden */
export const GcInput = z
  .object({
    /** How many earlier bundles to keep per environment, besides the active one. */
    keep: z.number().int().min(0).max(1000).default(3),
    /** Bundles stored more recently than this are kept (they may be about to be promoted). */
    minAgeMs: z
      .number()
      .int()
      .nonnegative()
      .default(24 * 3_600_000),
    by: Actor,
    /** Report what would be removed, and remove nothing. */
    dryRun: z.boolean().default(false),
  })
  .strict();
/** Input of `bundles.gc`. */
export type GcInput = z.input<typeof GcInput>;

/** What a garbage collection removed (or, in a dry run, would remove). */
export interface GcResult {
  /** The bundles removed. */
  removedBundles: string[];
  /** The blobs removed (no bundle kept refers to them). */
  removedBlobs: string[];
  /** How many bundles were kept. */
  keptBundles: number;
}

/**
 * Removes bundles no environment needs: every environment keeps its active bundle, the bundles of
 * its unfinished deployments, and the previous `keep` bundles it ran (rollback targets). Blobs go
 * only when no remaining bundle uses them. Each removal is journaled.
 * @internal
 */
export async function collectGarbage(context: EngineContext, input: GcInput): Promise<GcResult> {
  const command = parseInput(GcInput, input, 'bundles.gc');
  const keep = new Set<string>();
  for (const { value: env } of await listAll(context, KIND.environment, EnvironmentRecord)) {
    if (env.active) keep.add(env.active.snapshot.bundleId);
    const history = (await listAll(context, KIND.deployment, Deployment, `${env.definition.id}/`))
      .map((r) => r.value)
      .reverse();
    const ran: string[] = [];
    for (const d of history) {
      if (!deploymentMachine.isTerminal(d.status)) keep.add(d.bundleId);
      if (d.restores) keep.add(d.restores.bundleId);
      if (
        'activatedAt' in d &&
        d.activatedAt &&
        !ran.includes(d.bundleId) &&
        d.bundleId !== env.active?.snapshot.bundleId
      )
        ran.push(d.bundleId);
    }
    for (const id of ran.slice(0, command.keep)) keep.add(id);
  }
  const cutoff = context.clock.now().getTime() - command.minAgeMs;
  const bundles = (await listAll(context, KIND.bundle, BundleRecord)).map((r) => r.value);
  const removed = bundles.filter((b) => !keep.has(b.id) && Date.parse(b.storedAt) <= cutoff);
  const removedIds = new Set(removed.map((b) => b.id));
  const used = new Set(
    bundles.filter((b) => !removedIds.has(b.id)).flatMap((b) => b.manifest.entries.map((e) => e.digest)),
  );
  const blobs = [...new Set(removed.flatMap((b) => b.manifest.entries.map((e) => e.digest)))].filter(
    (d) => !used.has(d),
  );
  if (!command.dryRun) {
    for (const bundle of removed) await removeBundle(context, bundle, command.by);
    for (const digest of blobs) await context.blobs.delete(digest);
  }
  return {
    removedBundles: removed.map((b) => b.id),
    removedBlobs: blobs,
    keptBundles: bundles.length - removed.length,
  };
}

async function removeBundle(context: EngineContext, bundle: BundleRecord, by: Actor): Promise<void> {
  const versionKey = `${bundle.manifest.project}@${bundle.manifest.version}`;
  const [record, index] = await Promise.all([
    context.store.get(KIND.bundle, bundle.id),
    context.store.get(KIND.bundleVersion, versionKey),
  ]);
  if (!record) return;
  context.bundles.delete(bundle.id);
  const work = new UnitOfWork(context).put(KIND.bundle, bundle.id, record.version, null);
  if (index) work.put(KIND.bundleVersion, versionKey, index.version, null);
  for (const { value, version } of await listAll(context, KIND.signature, BundleSignature, `${bundle.id}/`)) {
    work.put(KIND.signature, `${bundle.id}/${value.keyId}`, version, null);
  }
  work.journal({
    at: nowIso(context),
    actor: by,
    type: 'bundle.deleted',
    subject: { kind: KIND.bundle, id: bundle.id },
    reason: 'garbage collection',
    data: { project: bundle.manifest.project, version: bundle.manifest.version },
  });
  await work.commit();
}
