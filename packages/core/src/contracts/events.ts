import { EventEmitter } from 'eventemitter3';
import type { DeploymentTransition } from '../machines/deployment-transition.js';
import type { ScenarioRunTransition, ScenarioStepTransition } from '../machines/scenario-transitions.js';
import type { EnvironmentStatus } from '../model/environment.js';
import type { JournalEntry } from '../model/journal.js';
import type { RemoteDeployment } from '../model/remote-deployment.js';
import type { RunOutcome } from '../model/scenario-trigger.js';

/**
 * A reporter's message, emitted as the `scenario.report` event and so delivered to every notifier
 * (`createRailyard({ notifiers })`). `channel` lets a notifier route it.
 *
 * @example
 * ```ts
 * railyard.events.on('scenario.report', (report) => console.log(report.channel, report.message));
 * ```
 */
export interface ScenarioReport {
  /** The reporter's id, or `r<index>`. */
  reporter: string;
  /** The reporter's channel, for notifiers to route on. */
  channel?: string;
  /** Whether the run started or ended. */
  phase: 'start' | 'end';
  /** The run's scenario. */
  scenario: string;
  /** The run. */
  runId: string;
  /** Present at the end. */
  outcome?: RunOutcome;
  /** The reporter's message, placeholders filled in. */
  message: string;
  /** The environment the run acts on, if any. */
  environment?: string;
  /** The deployment the run verifies, if any. */
  deploymentId?: string;
}

/** An environment's status changed (ready, degraded, halted). */
export interface EnvironmentStatusChange {
  /** The environment. */
  environment: string;
  /** The status it left. */
  from: EnvironmentStatus;
  /** The status it entered. */
  to: EnvironmentStatus;
  /** Why, when a person or a check gave a reason. */
  reason?: string;
}

/**
 * A definition Railyard accepted but warns about. `open-roles`: a production-like environment
 * (approvals required, or a last stage: it promotes from another environment and nothing defined
 * promotes from it) lets anyone (`'*'`) approve, operate or override freezes; `open` lists the policy
 * fields that say `'*'`.
 *
 * @example
 * ```ts
 * railyard.events.on('environment.warning', (warning) => console.warn(warning.environment, warning.message));
 * ```
 */
export interface EnvironmentWarning {
  /** The environment the warning is about. */
  environment: string;
  /** What kind of warning. */
  code: 'open-roles';
  /** What is wrong and what to do about it. */
  message: string;
  /** The policy fields that say `'*'`. */
  open: string[];
}

/** A verification probe or scenario produced a result. */
export interface VerificationResult {
  /** The deployment being verified. */
  deploymentId: string;
  /** Its environment. */
  environment: string;
  /** Whether a verification scenario or a monitor produced it. */
  kind: 'scenario' | 'monitor';
  /** The scenario's or monitor's id. */
  id: string;
  /** The result: `passed`/`failed` for a scenario, a probe reading's level for a monitor. */
  result: 'passed' | 'failed' | 'pass' | 'warning' | 'fail' | 'inconclusive';
  /** What the scenario or probe said about it. */
  detail?: string;
}

/**
 * A handover notice for the notifiers of both teams: a project waits for an acceptance by an
 * environment's owners (`pending`), was accepted, or had its acceptance withdrawn.
 *
 * @example
 * ```ts
 * railyard.events.on('handover.pending', (notice) => notify(notice.role, `${notice.project} → ${notice.environment}: ${notice.reason}`));
 * ```
 */
export interface HandoverNotice {
  /** The environment whose owners accept. */
  environment: string;
  /** The project handed over. */
  project: string;
  /** The role that accepts (the environment's owners). */
  role: string;
  /** The environment's owners, as its definition names them. */
  owners: string[];
  /** The card's digest (the one accepted, withdrawn, or waiting). */
  cardDigest?: string;
  /** Who acted (accepted, withdrew, or requested the promotion that waits). */
  by: string;
  /** Why: what changed, the comment, or the withdrawal's reason. */
  reason: string;
  /** The deployment that waits, for `handover.pending`. */
  deploymentId?: string;
  /** Who to tell on the project's side: its card's owners' contacts. */
  projectContacts: string[];
}

/**
 * Every lifecycle event Railyard emits, with its payload. Only the core emits them, after the
 * change is committed.
 *
 * @example
 * ```ts
 * railyard.events.on('deployment.transition', ({ deployment, from, to }) => console.log(deployment.id, from, '→', to));
 * ```
 */
export interface RailyardEvents {
  /** A deployment moved from one state to another. */
  'deployment.transition': (event: DeploymentTransition) => void;
  /** An environment's status changed. */
  'environment.status': (event: EnvironmentStatusChange) => void;
  /** `environments.define` accepted a definition it warns about (for example roles open to anyone in production). */
  'environment.warning': (event: EnvironmentWarning) => void;
  /** A verification scenario or monitor produced a result. */
  'verification.result': (event: VerificationResult) => void;
  /** An entry was appended to the journal. */
  'journal.appended': (entry: JournalEntry) => void;
  /** A promotion waits for a handover acceptance by the environment's owners. */
  'handover.pending': (notice: HandoverNotice) => void;
  /** An environment's owners accepted a project's card. */
  'handover.accepted': (notice: HandoverNotice) => void;
  /** An acceptance was withdrawn: the project's next promotion there is blocked. */
  'handover.withdrawn': (notice: HandoverNotice) => void;
  /** A deployment this site asked another site for changed status there. */
  'remote.deployment': (deployment: RemoteDeployment) => void;
  /** A scenario run was queued, started or ended. */
  'scenario.run': (event: ScenarioRunTransition) => void;
  /** A step of a scenario run moved (started, retrying, succeeded, failed, skipped). */
  'scenario.step': (event: ScenarioStepTransition) => void;
  /** A scenario reporter's message: a run started, or ended with an outcome its condition names. */
  'scenario.report': (event: ScenarioReport) => void;
  /** A listener, notifier or background task failed; the engine carried on. */
  error: (error: unknown) => void;
}
/** The name of a Railyard event. */
export type RailyardEventName = keyof RailyardEvents;

/**
 * A typed emitter whose listeners cannot break each other: a throwing listener is reported on
 * `error` and the others still run. Every `on` returns a function that removes the listener.
 *
 * @example
 * ```ts
 * const off = railyard.events.on('environment.status', (change) => alert(change));
 * off();
 * ```
 */
export class RailyardEmitter {
  readonly #emitter = new EventEmitter<RailyardEvents>();

  /** Subscribes; returns the unsubscribe function. */
  on<TName extends RailyardEventName>(name: TName, listener: RailyardEvents[TName]): () => void {
    this.#emitter.on(name, listener as never);
    return () => this.#emitter.off(name, listener as never);
  }

  /** Subscribes for one event. */
  once<TName extends RailyardEventName>(name: TName, listener: RailyardEvents[TName]): () => void {
    const off = this.on(name, ((payload: never) => {
      off();
      (listener as (value: unknown) => void)(payload);
    }) as RailyardEvents[TName]);
    return off;
  }

  /** @internal */
  emit<TName extends RailyardEventName>(name: TName, payload: Parameters<RailyardEvents[TName]>[0]): void {
    for (const listener of this.#emitter.listeners(name)) {
      try {
        (listener as (value: unknown) => void)(payload);
      } catch (error) {
        if (name === 'error') continue;
        this.emit('error', error);
      }
    }
  }
}
