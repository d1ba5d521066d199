import type { Railyard } from '@railyard/core';

/** Prints the journal as a readable timeline: time, deployment, from → to, actor, reason. */
export async function printTimeline(railyard: Railyard): Promise<void> {
  let start: number | undefined;
  console.log('\nTimeline (from the journal)');
  console.log(`${'time'.padEnd(8)}${'deployment'.padEnd(20)}${'transition'.padEnd(52)}${'actor'.padEnd(11)}reason`);
  for await (const entry of railyard.journal.read()) {
    const at = Date.parse(entry.at);
    start ??= at;
    const time = `+${((at - start) / 1000).toFixed(1)}s`;
    let what: string;
    if (entry.type === 'deployment.transition') what = `${entry.data.from} → ${entry.data.to}`;
    else if (entry.type === 'deployment.requested') what = `requested ${entry.data.version}`;
    else if (entry.type === 'monitor.status')
      what = `monitor ${entry.subject.id.split('/')[1]}: ${entry.data.from} → ${entry.data.to}`;
    else if (entry.type === 'scenario.finished')
      what = `scenario ${entry.subject.id.split('/')[1]}: ${entry.data.outcome}`;
    else if (
      entry.type === 'scenario.run' &&
      // A verification run's end is the `scenario.finished` line of its deployment.
      entry.data.trigger !== 'verification' &&
      ['succeeded', 'warning', 'failed', 'timed_out'].includes(String(entry.data.to))
    )
      what = `scenario ${entry.data.scenario} (${entry.data.trigger}): ${entry.data.to}`;
    else if (entry.type === 'environment.status') what = `environment: ${entry.data.from} → ${entry.data.to}`;
    else continue;
    const subject = entry.deploymentId ?? entry.environment ?? '';
    console.log(
      `${time.padEnd(8)}${subject.padEnd(20)}${what.padEnd(52)}${entry.actor.id.padEnd(11)}${entry.reason ?? ''}`,
    );
  }
}
