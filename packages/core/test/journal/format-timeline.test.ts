import { formatTimeline, type JournalEntry } from '@railyard/core';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, promoteToProduction } from '../deployments/fixtures.js';

describe('formatTimeline', () => {
  it('prints a promotion to production as one line per lifecycle step, relative to the first entry', async () => {
    const world = await createWorld();
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    const entries: JournalEntry[] = [];
    for await (const entry of world.railyard.journal.read({ environment: 'production' })) entries.push(entry);

    const lines = formatTimeline(entries).split('\n');
    expect(lines[0]).toMatch(/^time\s+deployment\s+transition\s+actor\s+reason$/);
    const mine = lines.filter((line) => line.includes(deployment.id));
    expect(mine[0]).toMatch(
      new RegExp(`^\\+0\\.0s\\s+${deployment.id}\\s+requested 1\\.0\\.0\\s+requester\\s+ship 1\\.0\\.0$`),
    );
    expect(mine.some((line) => /awaiting_approval → approved\s+operator/.test(line))).toBe(true);
    expect(mine.at(-1)).toMatch(/→ active/);
    // Entries that are not lifecycle steps (the environment's definition) are left out.
    expect(lines.length).toBeLessThan(entries.length + 1);
    expect(lines.every((line) => line === line.trimEnd())).toBe(true);
  });

  it('prints absolute times and no header when asked', async () => {
    const world = await createWorld();
    await promoteToProduction(world, '1.0.0');
    const entries: JournalEntry[] = [];
    for await (const entry of world.railyard.journal.read({ environment: 'production' })) entries.push(entry);
    const lines = formatTimeline(entries, { time: 'absolute', header: false }).split('\n');
    expect(lines[0]).toMatch(/^2026-03-02T09:00:00\.000Z\s+production\//);
    expect(formatTimeline([], { header: false })).toBe('');
  });
});
