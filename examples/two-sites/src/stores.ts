import { join } from 'node:path';
import { fileBlobStore, fileStateStore } from '@railyard/core';
import type { BlobStore, StateStore } from '@railyard/core/adapters';

/** Where the production site keeps its state and bytes, and how to describe it. */
export interface ProductionStores {
  store: StateStore;
  blobs: BlobStore;
  description: string;
  /** Releases what the stores hold beyond `railyard.close()` (a connection pool). */
  release(): Promise<void>;
}

/**
 * The embedded file stores in `dir` by default. With `RAILYARD_PG_URL` set, state and the journal go
 * to PostgreSQL (a fresh schema per run, or `RAILYARD_PG_SCHEMA`); with `RAILYARD_S3_BUCKET` set (and
 * `RAILYARD_S3_URL` for an S3-compatible server, credentials from the usual AWS variables), bytes go
 * to S3 under a fresh prefix per run.
 */
export async function openProductionStores(dir: string): Promise<ProductionStores> {
  const parts: string[] = [];
  const releases: Array<() => Promise<void>> = [];
  let store: StateStore;
  const pgUrl = process.env.RAILYARD_PG_URL;
  if (pgUrl) {
    const { default: pg } = await import('pg');
    const { migrate, postgresStateStore } = await import('@railyard/adapter-postgres');
    const pool = new pg.Pool({ connectionString: pgUrl, max: 4 });
    // A schema of its own for each run (dropped at the end), so the example starts empty every time
    // and never touches the tables of another installation in the same database.
    const schema = process.env.RAILYARD_PG_SCHEMA ?? `railyard_two_sites_${Date.now().toString(36)}`;
    await migrate({ pool, schema });
    store = await postgresStateStore({ pool, schema });
    releases.push(async () => {
      if (!process.env.RAILYARD_PG_SCHEMA) await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    });
    parts.push(`state in PostgreSQL schema ${schema}`);
  } else {
    store = await fileStateStore({ dir: join(dir, 'state') });
    parts.push(`state in ${join(dir, 'state')}`);
  }
  let blobs: BlobStore;
  const bucket = process.env.RAILYARD_S3_BUCKET;
  if (bucket) {
    const { S3Client } = await import('@aws-sdk/client-s3');
    const { s3BlobStore } = await import('@railyard/adapter-s3');
    const endpoint = process.env.RAILYARD_S3_URL;
    const client = new S3Client({
      region: process.env.AWS_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    blobs = s3BlobStore({ client, bucket, prefix: `railyard/two-sites/${Date.now().toString(36)}` });
    releases.push(async () => client.destroy());
    parts.push(`blobs in s3://${bucket}`);
  } else {
    blobs = fileBlobStore({ dir: join(dir, 'blobs') });
    parts.push(`blobs in ${join(dir, 'blobs')}`);
  }
  return {
    store,
    blobs,
    description: parts.join(', '),
    async release() {
      for (const release of releases) await release();
    },
  };
}
