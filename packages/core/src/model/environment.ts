import * as z from 'zod';
import type * as T from './environment-types.js';
import { Policy } from './policy.js';
import { Digest, SemverString, Slug, Timestamp } from './primitives.js';
import { Verification } from './verification.js';

/**
 * A reference to a secret the host's resolver knows by name.
 * @hidden
 */
export const SecretRef = z
  .object({
    secret: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_./:@-]{0,255}$/, 'expected a secret name like "prod/db-password"'),
  })
  .strict() satisfies z.ZodType<T.SecretRef>;

const Name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'expected a name like "DB_URL" or "warehouse"');

/**
 * An environment as the host defines it: where it promotes from, its policy, its variables and
 * connection remaps, and how deployments into it are verified. A remote environment lives on
 * another site, reached through the `Transport`; its policy is that site's business.
 *
 * @example
 * ```ts
 * await railyard.environments.define({
 *   id: 'production', promotesFrom: ['design'],
 *   policy: { approvals: { required: 1, roles: ['ops'] } },
 *   variables: { REGION: 'eu-west-1' }, connections: { warehouse: 'prod-warehouse' },
 * });
 * ```
 * @hidden
 */
export const EnvironmentDefinition = z
  .object({
    id: Slug,
    name: z.string().min(1).max(200).optional(),
    promotesFrom: z.array(Slug).max(20).default([]),
    policy: Policy.default(Policy.parse({})),
    variables: z.record(Name, z.union([z.string().max(10_000), SecretRef])).default({}),
    connections: z.record(Name, z.union([z.string().min(1).max(1000), SecretRef])).default({}),
    verification: Verification.default(Verification.parse({})),
    remote: z.boolean().default(false),
    /** Who answers for the environment (people or groups); shown where a handover waits for them. */
    owners: z.array(z.string().min(1).max(200)).max(50).default([]),
  })
  .strict() satisfies z.ZodType<T.EnvironmentDefinition>;
/** An environment as the host defines it. */
export type EnvironmentDefinition = T.EnvironmentDefinition;
/** An environment definition as callers write it. */
export type EnvironmentDefinitionInput = z.input<typeof EnvironmentDefinition>;

/**
 * Everything a deployment ran with: the bundle and the variables and remaps resolved for it.
 * A rollback restores a snapshot exactly, not today's environment settings.
 * @hidden
 */
export const Snapshot = z
  .object({
    bundleId: Digest,
    project: z.string(),
    version: SemverString,
    variables: z.record(z.string(), z.union([z.string(), SecretRef])),
    connections: z.record(z.string(), z.union([z.string(), SecretRef])),
  })
  .strict() satisfies z.ZodType<T.Snapshot>;
/** Everything a deployment ran with. */
export type Snapshot = T.Snapshot;

/** The deployment an environment currently runs, with its snapshot. @hidden */
export const ActiveRef = z
  .object({ deploymentId: z.string(), snapshot: Snapshot, since: Timestamp })
  .strict() satisfies z.ZodType<T.ActiveRef>;
/** The deployment an environment currently runs. */
export type ActiveRef = T.ActiveRef;

/** An environment's health as the engine sees it. @hidden */
export const EnvironmentStatus = z.enum(['ready', 'degraded', 'halted']) satisfies z.ZodType<T.EnvironmentStatus>;
/** An environment's health as the engine sees it. */
export type EnvironmentStatus = T.EnvironmentStatus;

/**
 * The stored environment: its definition plus the engine's state. The `active` pointer and the
 * `inFlight` slot only move by compare-and-swap on this record.
 * @hidden
 */
export const EnvironmentRecord = z
  .object({
    definition: EnvironmentDefinition,
    status: EnvironmentStatus,
    statusReason: z.string().optional(),
    active: ActiveRef.nullable(),
    inFlight: z.string().nullable(),
    /** Waiting deployments, in request order. */
    queue: z.array(z.string()),
    consecutiveAutoRollbacks: z.number().int().nonnegative(),
    /** Sequence for deployment ids (`<environment>/<seq>`). */
    sequence: z.number().int().nonnegative(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .strict() satisfies z.ZodType<EnvironmentRecord>;

/**
 * The stored environment: its definition plus the engine's state. The `active` pointer and the
 * `inFlight` slot only move by compare-and-swap on this record.
 *
 * @example
 * ```ts
 * const production = await railyard.environments.get('production');
 * console.log(production?.status, production?.active?.snapshot.version, production?.queue.length);
 * ```
 */
export interface EnvironmentRecord {
  /** The environment as the host defined it. */
  definition: EnvironmentDefinition;
  /** Its status. */
  status: T.EnvironmentStatus;
  /** Why it has that status. */
  statusReason?: string;
  /** What it runs now, or `null`. */
  active: T.ActiveRef | null;
  /** The deployment holding its single in-flight slot, or `null`. */
  inFlight: string | null;
  /** Waiting deployments, in request order. */
  queue: string[];
  /** Automatic rollbacks in a row; the policy halts the environment past its limit. */
  consecutiveAutoRollbacks: number;
  /** Sequence for deployment ids (`<environment>/<seq>`). */
  sequence: number;
  /** When it was first defined. */
  createdAt: string;
  /** When it last changed. */
  updatedAt: string;
}
