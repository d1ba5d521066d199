// Names the guides use without defining them, with the types they have there. Each guide's code
// blocks are type-checked against these (scripts/docs-check.mjs); a block that defines one of these
// names itself shadows it.
import type { S3Client } from '@aws-sdk/client-s3';
import type { AgentKey } from '@railyard/adapter-http';
import type {
  ActivationHook,
  Actor,
  BundleRecord,
  Deployment,
  Logger,
  Probe,
  Railyard,
  StepType,
} from '@railyard/core';
import type { BlobStore, StateStore } from '@railyard/core/adapters';
import type { FakeClock } from '@railyard/core/testing';
import type pg from 'pg';

declare global {
  /** A Railyard the guide created earlier. */
  const railyard: Railyard;
  /** The design and production sites of the two-site guides. */
  const design: Railyard;
  const production: Railyard;
  /** The stores the host chose (memory, file, PostgreSQL, S3…). */
  const store: StateStore;
  const blobs: BlobStore;
  const pool: pg.Pool;
  /** A bundle built earlier. */
  const bundle: BundleRecord;
  const hotfix: BundleRecord;
  const version: string;
  /** People, with their roles. */
  const alice: Actor;
  const operator: Actor;
  const designer: Actor;
  const reviewer: Actor;
  const releaseManager: Actor;
  /** Host code registered by name. */
  const steps: Record<string, StepType>;
  const probes: Record<string, Probe>;
  const activate: ActivationHook;
  const keys: AgentKey[];
  const clock: FakeClock;
  /** Secrets and addresses from the host's configuration. */
  const url: string;
  const secret: string;
  const signal: AbortSignal;
  const accessKeyId: string;
  const secretAccessKey: string;
  const releasePublicKeyPem: string;
  const lastSeen: number;
  const deployment: Deployment;
  const stepTimeoutMs: number;
  /** A pino-style logger. */
  const logger: Logger;
  /** A write-once place to keep checkpoints. */
  const archive: { put(key: string, value: string): Promise<void> };
  const lastExportedCheckpoint: { seq: number; hash: string };
  /** The host's S3 client. */
  const client: S3Client;
  /** The host's own functions the guides call. */
  function refresh(table: string, options: { signal: AbortSignal; idempotencyKey: string }): Promise<number>;
  function currentErrorRate(): Promise<number>;
  function errorRate(...args: unknown[]): Promise<number>;
  function reloadAndRetry(): Promise<void>;
  function askSomeoneElse(): void;
  function saveEntry(entry: unknown): Promise<void>;
  function listFiles(since: string | undefined): Promise<string[]>;
  function postToChannel(text: string): Promise<void>;
  function alert(message: string): void;
}
