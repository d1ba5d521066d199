import type {
  ActorInput,
  BundleRecord,
  Deployment,
  EnvironmentHealth,
  EnvironmentRecord,
  Explanation,
  JournalEntry,
  PromotionPlan,
  ScenarioRecord,
  ScenarioRun,
  Silence,
} from '@railyard/core';
import type { BundleOps } from './bundle-ops.js';

/** Who acts: locally `--as`/RAILYARD_ACTOR with its roles; a remote site uses its key's actor instead. */
export interface ActorInputs {
  by: ActorInput;
}

/** Whether a command that starts work drives it until it waits for a person or time, or ends. */
export interface WaitInput {
  wait: boolean;
}

/** A filter of `history`: every field narrows; `since` is an ISO instant. */
export interface HistoryQuery {
  environment?: string;
  deployment?: string;
  actor?: string;
  since?: string;
  limit?: number;
}

/** One environment as `status` shows it. */
export interface EnvironmentStatusView {
  environment: EnvironmentRecord;
  /** The deployment in flight, if any. */
  inFlight: Deployment | null;
  /** Deployments queued behind it. */
  queued: Deployment[];
  /** Null where the site does not report health (a remote site). */
  health: EnvironmentHealth | null;
}

/**
 * What the commands do, wherever the site is: in this process on the config's stores (local), through
 * a production site's agent (remote), or through the worker that holds the store (socket). Every
 * method is async and takes and returns JSON-safe values, so an implementation may forward them over
 * any wire. An operation a site cannot offer throws `CapabilityError` (exit 2) saying where it works.
 */
export interface Site extends BundleOps {
  readonly kind: 'local' | 'remote' | 'socket';
  environments(): Promise<EnvironmentRecord[]>;
  /** Throws NOT_FOUND for an unknown environment. */
  environment(id: string): Promise<EnvironmentRecord>;
  defineEnvironment(input: { definition: unknown } & ActorInputs): Promise<EnvironmentRecord>;
  /** A bundle by id, unique id prefix, or `project@version`; throws NOT_FOUND or VALIDATION (ambiguous). */
  findBundle(ref: string): Promise<BundleRecord>;
  promote(input: { bundle: string; to: string; reason?: string } & ActorInputs & WaitInput): Promise<Deployment>;
  plan(input: { deployment: string } | { bundle: string; to: string }): Promise<PromotionPlan>;
  /** Throws NOT_FOUND for an unknown deployment. */
  deployment(id: string): Promise<Deployment>;
  approve(id: string, input: { comment?: string } & ActorInputs & WaitInput): Promise<Deployment>;
  reject(id: string, input: { comment: string } & ActorInputs): Promise<Deployment>;
  cancel(id: string, input: { reason?: string } & ActorInputs): Promise<Deployment>;
  abandon(id: string, input: { reason?: string } & ActorInputs): Promise<Deployment>;
  rollback(environment: string, input: { to?: string; reason: string } & ActorInputs & WaitInput): Promise<Deployment>;
  resume(environment: string, input: { reason?: string } & ActorInputs & WaitInput): Promise<EnvironmentRecord>;
  status(environment?: string): Promise<EnvironmentStatusView[]>;
  history(query: HistoryQuery): Promise<Deployment[]>;
  journal(query: { environment?: string }): Promise<JournalEntry[]>;
  explain(deployment: string): Promise<Explanation>;
  health(environment: string): Promise<EnvironmentHealth>;
  scenarios(): Promise<ScenarioRecord[]>;
  runScenario(id: string, input: ActorInputs & WaitInput): Promise<ScenarioRun>;
  scenarioRuns(query: { scenario?: string }): Promise<ScenarioRun[]>;
  silence(
    input: { environment: string; monitor: string; until: string; reason: string } & ActorInputs,
  ): Promise<Silence>;
  close(): Promise<void>;
}
