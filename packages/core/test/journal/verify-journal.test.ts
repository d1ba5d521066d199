import { verifyJournal } from '@railyard/core';
import type { JournalEntry } from '@railyard/core/adapters';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, promoteToProduction } from '../deployments/fixtures.js';

async function journalOfARealPromotion(): Promise<JournalEntry[]> {
  const world = await createWorld();
  await promoteToProduction(world, '1.0.0');
  await bake(world);
  const entries: JournalEntry[] = [];
  for await (const entry of world.railyard.journal.read()) entries.push(entry);
  return entries;
}

async function* from(entries: unknown[]) {
  yield* entries;
}

describe('journal verification', () => {
  it('accepts an untouched journal and reports its head', async () => {
    const entries = await journalOfARealPromotion();
    const last = entries.at(-1)!;
    expect(await verifyJournal(from(entries))).toEqual({
      ok: true,
      entries: entries.length,
      head: { seq: last.seq, hash: last.hash },
    });
  });

  it('detects a flipped field', async () => {
    const entries = await journalOfARealPromotion();
    const tampered = structuredClone(entries);
    tampered[5]!.actor = { id: 'mallory', roles: ['ops'] };
    expect(await verifyJournal(from(tampered))).toMatchObject({
      ok: false,
      problem: { seq: 6, kind: 'hash-mismatch' },
    });
  });

  it('detects a flipped field even when the attacker rehashes that entry', async () => {
    const entries = await journalOfARealPromotion();
    const tampered = structuredClone(entries);
    const { hashJournalEntry } = await import('@railyard/core/adapters');
    tampered[5]!.reason = 'approved by the board';
    tampered[5]!.hash = hashJournalEntry(tampered[5]!);
    expect(await verifyJournal(from(tampered))).toMatchObject({ ok: false, problem: { seq: 7, kind: 'broken-link' } });
  });

  it('detects a deleted entry', async () => {
    const entries = await journalOfARealPromotion();
    const tampered = entries.filter((_, i) => i !== 3);
    expect(await verifyJournal(from(tampered))).toMatchObject({ ok: false, problem: { seq: 4, kind: 'sequence-gap' } });
  });

  it('detects reordered entries', async () => {
    const entries = await journalOfARealPromotion();
    const tampered = [...entries];
    [tampered[2], tampered[3]] = [tampered[3]!, tampered[2]!];
    expect(await verifyJournal(from(tampered))).toMatchObject({ ok: false, problem: { seq: 3, kind: 'sequence-gap' } });
  });

  it('detects truncation against an exported checkpoint', async () => {
    const entries = await journalOfARealPromotion();
    const checkpoint = { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash };
    const truncated = entries.slice(0, -2);
    expect(await verifyJournal(from(truncated))).toMatchObject({ ok: true });
    expect(await verifyJournal(from(truncated), { checkpoint })).toMatchObject({
      ok: false,
      problem: { kind: 'truncated' },
    });
    expect(await verifyJournal(from(entries), { checkpoint })).toMatchObject({ ok: true });
  });

  it('reports a malformed entry', async () => {
    const entries: unknown[] = await journalOfARealPromotion();
    entries[1] = { nonsense: true };
    expect(await verifyJournal(from(entries))).toMatchObject({ ok: false, problem: { seq: 2, kind: 'malformed' } });
  });
});
