import { formatTimeline, type JournalEntry, type Railyard } from '@railyard/core';

/** Prints the journal as a readable timeline (core's `formatTimeline`): time, deployment, from → to, actor, reason. */
export async function printTimeline(railyard: Railyard): Promise<void> {
  const entries: JournalEntry[] = [];
  for await (const entry of railyard.journal.read()) entries.push(entry);
  console.log('\nTimeline (from the journal)');
  console.log(formatTimeline(entries));
}
