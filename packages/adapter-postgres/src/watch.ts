import type { Unsubscribe } from '@railyard/core/adapters';
import type { PgPool, PgPoolClient } from './pool.js';
import type { SchemaNames } from './schema-name.js';

/**
 * The store's `watch`: one connection taken from the pool runs `LISTEN` while anyone watches.
 * Listeners are called after this store's own commits at once, and after other processes' commits
 * when their notification arrives. Every `pollMs` the connection reads the journal head: that checks
 * the connection is alive and catches anything a notification missed. When the connection is lost,
 * listeners are called every `pollMs` (so watchers look for themselves) until it is back, and
 * once more on reconnecting.
 * @internal
 */
export class CommitWatcher {
  readonly #listeners = new Set<() => void>();
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #closed = false;
  #lastSeq: string | undefined;
  #connecting = false;

  constructor(
    private readonly pool: PgPool,
    private readonly names: SchemaNames,
    private readonly origin: string,
    private readonly pollMs: number,
  ) {}

  add(listener: () => void): Unsubscribe {
    const entry = () => listener();
    this.#listeners.add(entry);
    this.#ensureLoop();
    return () => {
      this.#listeners.delete(entry);
      if (this.#listeners.size === 0) this.#wake?.();
    };
  }

  /** Calls every listener (each after the current task, so a throwing one breaks nothing). */
  fire(): void {
    for (const listener of this.#listeners) queueMicrotask(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#wake?.();
    // A loop still waiting for a pool connection ends by itself once it gets one.
    if (!this.#connecting) await this.#loop;
  }

  #ensureLoop(): void {
    this.#loop ??= this.#run().finally(() => {
      this.#loop = undefined;
      // A listener that arrived while the loop was ending needs a loop of its own.
      if (this.#active) this.#ensureLoop();
    });
  }

  get #active(): boolean {
    return !this.#closed && this.#listeners.size > 0;
  }

  async #run(): Promise<void> {
    let connectedBefore = false;
    while (this.#active) {
      let client: PgPoolClient | undefined;
      let lost: Error | undefined;
      try {
        this.#connecting = true;
        client = await this.pool.connect().finally(() => {
          this.#connecting = false;
        });
        const onError = (error: Error) => {
          lost ??= error;
          this.#wake?.();
        };
        client.on('error', onError);
        client.on('end', () => onError(new Error('LISTEN connection ended')));
        client.on('notification', (message) => {
          if (message.channel === this.names.channel && message.payload !== this.origin) this.fire();
        });
        await client.query({ text: `LISTEN "${this.names.channel}"` });
        if (connectedBefore) this.fire(); // commits may have happened while we were away
        connectedBefore = true;
        while (this.#active && !lost) {
          await this.#pause(this.pollMs);
          if (this.#active && !lost) await this.#poll(client);
        }
      } catch (error) {
        lost ??= error instanceof Error ? error : new Error(String(error));
      } finally {
        // A LISTENing connection is never handed back to the pool for reuse.
        client?.release(lost ?? true);
      }
      if (lost && this.#active) {
        this.fire();
        await this.#pause(this.pollMs);
      }
    }
  }

  async #poll(client: PgPoolClient): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('LISTEN connection did not answer a poll')), this.pollMs * 2);
    });
    try {
      const { rows } = await Promise.race([
        client.query({ text: `SELECT seq::text AS seq FROM ${this.names.head}` }),
        timeout,
      ]);
      const seq = rows[0]?.seq as string | undefined;
      if (this.#lastSeq !== undefined && seq !== this.#lastSeq) this.fire();
      this.#lastSeq = seq;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits `ms`, or less when woken (closing, the last listener leaving, the connection lost). */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
