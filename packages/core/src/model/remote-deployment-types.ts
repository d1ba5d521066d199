import type { Actor } from './environment-types.js';

/**
 * What a design site knows of a promotion it asked another site for: the remote deployment's id
 * and its last status seen, refreshed by the worker through the transport.
 *
 * @example
 * ```ts
 * for (const remote of await railyard.remoteDeployments()) console.log(remote.environment, remote.version, remote.status);
 * ```
 */
export interface RemoteDeployment {
  /** The remote environment. */
  environment: string;
  /** The deployment's id on the remote site. */
  remoteId: string;
  /** The promoted bundle's id. */
  bundleId: string;
  /** The bundle's version. */
  version: string;
  /** Who asked for the promotion. */
  requestedBy: Actor;
  /** When it was asked for (ISO time). */
  requestedAt: string;
  /** The remote deployment's last status seen. */
  status: string;
  /** Why it failed, was rejected or cancelled, when the remote site said so. */
  detail?: string;
  /** When the status was last refreshed (ISO time). */
  checkedAt: string;
}
