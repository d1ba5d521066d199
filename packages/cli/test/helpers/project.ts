import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundleRecord, createRailyard, fileBlobStore, fileStateStore } from '@railyard/core';

/** A fresh project directory in the system's temp dir; `cleanup` removes it. */
export function tempProject(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'railyard-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** staging (no approvals) → production (one `ops` approval; operators: `ops`). */
export const ENVIRONMENTS = [
  { id: 'staging' },
  {
    id: 'production',
    promotesFrom: ['staging'],
    policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
  },
];

/** Writes the environments file `env define --file` reads. */
export function writeEnvironments(dir: string, name = 'environments.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(ENVIRONMENTS, null, 2));
  return file;
}

/**
 * Stores bundles of project `churn` in the project's `.railyard/` through core's API, as
 * `railyard bundle build` will.
 * TODO(lead): once `railyard bundle build` lands (branch wt-cli-ops), build these with the CLI instead.
 */
export async function storeBundles(dir: string, versions: string[]): Promise<BundleRecord[]> {
  const railyard = createRailyard({
    store: await fileStateStore({ dir: join(dir, '.railyard/state'), fsync: false }),
    blobs: fileBlobStore({ dir: join(dir, '.railyard/blobs'), fsync: false }),
  });
  try {
    const bundles: BundleRecord[] = [];
    for (const version of versions)
      bundles.push(
        await railyard.bundles.create({
          project: 'churn',
          version,
          entries: [{ path: 'models/churn.bin', content: `weights ${version}` }],
          createdBy: { id: 'alice', roles: ['dev'] },
        }),
      );
    return bundles;
  } finally {
    await railyard.close();
  }
}
