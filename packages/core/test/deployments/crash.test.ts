import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRailyard, fileBlobStore, fileStateStore } from '@railyard/core';
import type { JournalEntry } from '@railyard/core/adapters';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkJournalInvariants } from './invariants.js';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** Runs the child until it has printed `killAfter` journal lines, then kills it with SIGKILL. */
function runUntil(dir: string, killAfter: number): Promise<{ killed: boolean; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=@railyard/source', '--import', 'tsx', child, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let journal = 0;
    let killed = false;
    let stderr = '';
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('journal ') && ++journal === killAfter && !killed) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ killed, lines });
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

async function recover(dir: string) {
  const store = await fileStateStore({ dir: `${dir}/state` });
  const keys: string[] = [];
  const railyard = createRailyard({
    store,
    blobs: fileBlobStore({ dir: `${dir}/blobs` }),
    leaseMs: 1,
    steps: { check: { params: z.object({}), run: ({ idempotencyKey }) => void keys.push(idempotencyKey) } },
  });
  await railyard.settle();
  return { railyard, store, keys };
}

describe('crash safety of the file store (kill -9 mid-promotion)', () => {
  // A full run writes 30 journal entries; kill points spread over requests, activation, verification and supersession.
  for (const killAfter of [2, 5, 9, 13, 17, 21, 25, 29]) {
    it(`recovers after SIGKILL at journal entry ${killAfter}: one active bundle, legal states, verified journal`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'railyard-crash-'));
      try {
        const { killed } = await runUntil(dir, killAfter);
        expect(killed).toBe(true);
        const { railyard, store, keys } = await recover(dir);
        const production = await railyard.environments.get('production');
        expect(production).toMatchObject({ inFlight: null, status: 'ready' });
        const history = await railyard.history('production');
        expect(history.filter((d) => d.status === 'active')).toHaveLength(production?.active ? 1 : 0);
        for (const d of history) expect(['active', 'superseded']).toContain(d.status);
        if (production?.active)
          expect(history.find((d) => d.status === 'active')?.id).toBe(production.active.deploymentId);
        const entries: JournalEntry[] = [];
        for await (const entry of store.readJournal()) entries.push(entry);
        checkJournalInvariants(entries);
        expect(await railyard.journal.verify()).toMatchObject({ ok: true });
        // Step keys are deterministic, so a re-run after the crash reuses the key the host saw before.
        for (const key of keys) expect(key).toMatch(/^production\/\d{6}:smoke:0$/);
        await railyard.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('a second process cannot open a store that a live process holds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'railyard-lock-'));
    try {
      const first = await fileStateStore({ dir });
      await expect(fileStateStore({ dir })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
      await first.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
