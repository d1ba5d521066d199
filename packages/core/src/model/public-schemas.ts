import type { z } from 'zod';
import { BundleManifest } from './bundle.js';
import { Deployment } from './deployment.js';
import { EnvironmentRecord } from './environment.js';
import { JournalEntry } from './journal.js';
import { BundleSignature } from './signature.js';

// The schemas a host or a transport really parses with (records that cross a network or a file).
// They are typed as `z.ZodType<T>` so hovers and the API site show the record's name, not zod's
// expansion of it; the schemas themselves stay in their model files.

/**
 * Validates a {@link Deployment} read from outside the process (an HTTP answer, a file).
 *
 * @example
 * ```ts
 * const deployment = DeploymentSchema.parse(await response.json());
 * ```
 */
export const DeploymentSchema: z.ZodType<Deployment> = Deployment;

/**
 * Validates an {@link EnvironmentRecord} read from outside the process.
 *
 * @example
 * ```ts
 * const environments = EnvironmentRecordSchema.array().parse(await response.json());
 * ```
 */
export const EnvironmentRecordSchema: z.ZodType<EnvironmentRecord> = EnvironmentRecord;

/**
 * Validates a {@link JournalEntry} read from outside the process (an event stream, an export).
 *
 * @example
 * ```ts
 * const entry = JournalEntrySchema.parse(JSON.parse(message.data));
 * ```
 */
export const JournalEntrySchema: z.ZodType<JournalEntry> = JournalEntry;

/**
 * Validates a {@link BundleManifest} received from another site before it is stored.
 *
 * @example
 * ```ts
 * const parsed = BundleManifestSchema.safeParse(body);
 * if (!parsed.success) throw new ValidationError(parsed.error.message);
 * ```
 */
export const BundleManifestSchema: z.ZodType<BundleManifest> = BundleManifest;

/**
 * Validates a {@link BundleSignature} received from another site.
 *
 * @example
 * ```ts
 * const signature = BundleSignatureSchema.parse(await response.json());
 * ```
 */
export const BundleSignatureSchema: z.ZodType<BundleSignature> = BundleSignature;
