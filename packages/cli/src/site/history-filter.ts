import type { Deployment } from '@railyard/core';
import type { HistoryQuery } from './site.js';

/**
 * Narrows deployments to a history query, newest first: `deployment` (an id or a prefix of one),
 * `since` (requested at or after), the deployments an actor touched (`touched`), then `limit`.
 */
export function filterHistory(all: Deployment[], query: HistoryQuery, touched?: Set<string>): Deployment[] {
  const since = query.since ? Date.parse(query.since) : undefined;
  return all
    .filter((d) => !query.deployment || d.id === query.deployment || d.id.startsWith(query.deployment))
    .filter((d) => since === undefined || Date.parse(d.requestedAt) >= since)
    .filter((d) => !touched || touched.has(d.id))
    .sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : b.id.localeCompare(a.id)))
    .slice(0, query.limit ?? 100);
}
