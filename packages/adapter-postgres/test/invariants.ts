import type { JournalEntry } from '@railyard/core/adapters';

const IN_FLIGHT = new Set(['transferring', 'preflight', 'activating', 'verifying']);

/**
 * Replays the journal's deployment transitions and checks, after every entry, that no environment
 * ever had two deployments in flight or two active. Returns each deployment's last status.
 */
export function checkJournalInvariants(entries: readonly JournalEntry[]): Map<string, string> {
  const status = new Map<string, string>();
  const byEnvironment = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.type !== 'deployment.transition' || !entry.deploymentId || !entry.environment) continue;
    status.set(entry.deploymentId, String(entry.data.to));
    const ids = byEnvironment.get(entry.environment) ?? new Set<string>();
    byEnvironment.set(entry.environment, ids.add(entry.deploymentId));
    const statuses = [...ids].map((id) => status.get(id) as string);
    const inFlight = statuses.filter((s) => IN_FLIGHT.has(s)).length;
    const active = statuses.filter((s) => s === 'active').length;
    if (inFlight > 1)
      throw new Error(`journal #${entry.seq}: ${entry.environment} has ${inFlight} deployments in flight`);
    if (active > 1) throw new Error(`journal #${entry.seq}: ${entry.environment} has ${active} deployments active`);
  }
  return status;
}
