import { IN_FLIGHT_STATES, type JournalEntry } from '@railyard/core/adapters';

const IN_FLIGHT = new Set<string>(IN_FLIGHT_STATES);

/**
 * Replays the journal's deployment transitions and checks, after every entry, that no environment
 * ever had two deployments in flight or two active. Returns each deployment's last status.
 */
export function checkJournalInvariants(entries: readonly JournalEntry[]): Map<string, string> {
  const status = new Map<string, string>();
  const environmentOf = new Map<string, string>();
  for (const entry of entries) {
    if (entry.type !== 'deployment.transition' || !entry.deploymentId || !entry.environment) continue;
    status.set(entry.deploymentId, String(entry.data.to));
    environmentOf.set(entry.deploymentId, entry.environment);
    const env = entry.environment;
    const same = [...status].filter(([id]) => environmentOf.get(id) === env);
    const inFlight = same.filter(([, s]) => IN_FLIGHT.has(s)).map(([id]) => id);
    const active = same.filter(([, s]) => s === 'active').map(([id]) => id);
    if (inFlight.length > 1)
      throw new Error(`journal #${entry.seq}: ${env} has ${inFlight.join(', ')} in flight at once`);
    if (active.length > 1) throw new Error(`journal #${entry.seq}: ${env} has ${active.join(', ')} active at once`);
  }
  return status;
}
