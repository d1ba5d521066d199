import type { RailyardEventName, RailyardEvents } from '../contracts/events.js';
import type { CommitResult, RecordWrite } from '../contracts/state-store.js';
import type { DeploymentEffect, DeploymentTransition } from '../machines/deployment-transition.js';
import type { Deployment } from '../model/deployment.js';
import type { JournalDraft } from '../model/journal.js';
import type { EngineContext } from './context.js';
import { deploymentAttributes, observeEvent } from './observe-transitions.js';

type Pending = { [K in RailyardEventName]: { name: K; payload: Parameters<RailyardEvents[K]>[0] } }[RailyardEventName];

/**
 * The one interpreter of effects: collects record writes (each with the version it was read at),
 * journal drafts and events, commits them in one transaction, and emits the events only after the
 * commit succeeded.
 * @internal
 */
export class UnitOfWork {
  readonly #writes = new Map<string, RecordWrite>();
  readonly #journal: JournalDraft[] = [];
  readonly #events: Pending[] = [];

  constructor(private readonly context: EngineContext) {}

  /** Writes a record; a second write of the same record keeps the first expected version. */
  put(kind: string, id: string, expectedVersion: number | null, value: unknown): this {
    const key = `${kind}\u0000${id}`;
    const existing = this.#writes.get(key);
    this.#writes.set(key, { kind, id, expectedVersion: existing ? existing.expectedVersion : expectedVersion, value });
    return this;
  }

  journal(draft: JournalDraft): this {
    this.#journal.push(draft);
    return this;
  }

  emit<TName extends RailyardEventName>(name: TName, payload: Parameters<RailyardEvents[TName]>[0]): this {
    this.#events.push({ name, payload } as Pending);
    return this;
  }

  /** Runs a deployment transition's effects, writing the deployment at `expectedVersion`. */
  run(effects: readonly DeploymentEffect[], expectedVersion: number | null): Deployment {
    let persisted: Deployment | undefined;
    for (const effect of effects) {
      if (effect.type === 'persist') {
        this.put(effect.kind, effect.id, expectedVersion, effect.value);
        persisted = effect.value;
      } else if (effect.type === 'journal') this.journal(effect.draft);
      else this.emit(effect.name, effect.payload);
    }
    return persisted as Deployment;
  }

  get isEmpty(): boolean {
    return this.#writes.size === 0 && this.#journal.length === 0;
  }

  async commit(): Promise<CommitResult> {
    const { telemetry } = this.context;
    const tx = { writes: [...this.#writes.values()], journal: this.#journal };
    const transition = telemetry.tracing
      ? this.#events.find((event) => event.name === 'deployment.transition')
      : undefined;
    const result = transition
      ? await telemetry.span(
          'railyard.transition',
          deploymentAttributes(transition.payload as DeploymentTransition),
          () => this.context.store.commit(tx),
        )
      : await this.context.store.commit(tx);
    for (const event of this.#events) {
      observeEvent(telemetry, event.name, event.payload);
      this.context.events.emit(event.name, event.payload as never);
    }
    for (const entry of result.journal) this.context.events.emit('journal.appended', entry);
    for (const event of this.#events) {
      for (const notifier of this.context.notifiers) {
        notifier
          .notify({ type: event.name, payload: event.payload } as never)
          .catch((error: unknown) => this.context.events.emit('error', error));
      }
    }
    return result;
  }
}
