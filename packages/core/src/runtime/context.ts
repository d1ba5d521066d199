import type { BlobStore } from '../contracts/blob-store.js';
import type { Clock } from '../contracts/clock.js';
import type { RailyardEmitter } from '../contracts/events.js';
import type { ActivationHook, ProbeRegistry } from '../contracts/host.js';
import type { Logger } from '../contracts/logger.js';
import type { Notifier } from '../contracts/notifier.js';
import type { SecretResolver } from '../contracts/secrets.js';
import type { StateStore } from '../contracts/state-store.js';
import type { StepRegistry } from '../contracts/steps.js';
import type { Transport } from '../contracts/transport.js';
import type { Actor } from '../model/actor.js';
import type { BundleRecord } from '../model/bundle.js';
import type { HostWork } from './host-work.js';
import type { Read } from './read.js';
import type { Telemetry } from './telemetry.js';

/** The actor the engine uses for what it does on its own (deadlines, automatic rollbacks). */
export const SYSTEM_ACTOR: Actor = { id: 'railyard', roles: ['system'] };

/**
 * Everything the engine's parts share. Stores, transport and notifiers here are already guarded (errors normalised, retried).
 * @internal
 */
export interface EngineContext {
  readonly store: StateStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly events: RailyardEmitter;
  /** Every step type the host registered (scenario runs and verification runs alike). */
  readonly steps: StepRegistry;
  readonly probes: ProbeRegistry;
  readonly activate: ActivationHook | undefined;
  /** Reads the values of secret references just before host code runs. */
  readonly secrets: SecretResolver | undefined;
  readonly transport: Transport | undefined;
  readonly notifiers: readonly Notifier[];
  /** Runs host code (steps, probes, activation hooks) outside reconcile passes, `hostConcurrency` at a time. */
  readonly host: HostWork;
  /** Where the engine logs what an operator needs (a silent logger by default). */
  readonly logger: Logger;
  /** Spans and metrics. */
  readonly telemetry: Telemetry;
  /** Identifies this engine instance in leases and claims. */
  readonly engineId: string;
  /** How long claimed work (a scenario run, host code) stays claimed without renewal. */
  readonly leaseMs: number;
  /** How often the status of deployments asked of other sites is polled. */
  readonly remotePollMs: number;
  /** Validated bundles by id (bundles never change), bounded. */
  readonly bundles: Map<string, Read<BundleRecord>>;
  /** When each remote environment was last polled (epoch ms), so polls keep to `remotePollMs`. */
  readonly remotePolls: Map<string, number>;
  /** The rate limit of `decision.refused` journal entries: per (actor, rule, target), the last entry's time (epoch ms) and the refusals swallowed since. */
  readonly refusals: Map<string, { at: number; suppressed: number }>;
}

/** The current time as an ISO string. @internal */
export function nowIso(context: EngineContext): string {
  return context.clock.now().toISOString();
}

/** An ISO time `ms` after `iso`. @internal */
export function addMs(iso: string, ms: number): string {
  return new Date(new Date(iso).getTime() + ms).toISOString();
}
