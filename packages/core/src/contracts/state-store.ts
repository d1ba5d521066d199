import type { JournalDraft, JournalEntry } from '../model/journal.js';

/** A record kind: `environment`, `deployment`, `bundle`, … Stores treat kinds as opaque namespaces. */
export type RecordKind = string;

/** A stored value with its version. Versions start at 1 and grow by one per write. */
export interface Versioned<TValue = unknown> {
  /** The record's id within its kind. */
  id: string;
  /** The version the value was written at (1 for the first write). */
  version: number;
  /** The stored value, exactly as written. */
  value: TValue;
}

/** A page of a listing, with a cursor to continue from when there is more. */
export interface Page<TItem> {
  /** The items of this page, in order. */
  items: TItem[];
  /** Pass as `after` to read the next page; absent on the last page. */
  next?: string;
}

/** Which records {@link StateStore.list} returns: ids in ascending order, optionally under a prefix. */
export interface ListQuery {
  /** Only ids that start with this. */
  prefix?: string;
  /** Exclusive lower bound on the id (a previous page's `next`). */
  after?: string;
  /** Page size; stores cap it (at most 1,000). Default 100. */
  limit?: number;
}

/**
 * One compare-and-swap write. `expectedVersion: null` means "must not exist yet"; `value: null`
 * deletes the record.
 */
export interface RecordWrite {
  /** The record's kind. */
  kind: RecordKind;
  /** The record's id within its kind. */
  id: string;
  /** The version the writer read: `null` to create a record that must not exist yet. */
  expectedVersion: number | null;
  /** The new value (JSON). */
  value: unknown;
}

/** An all-or-nothing transaction: record writes and the journal entries that explain them. */
export interface Transaction {
  /** The record writes, each checked against its expected version. */
  writes: RecordWrite[];
  /** The journal entries to chain and append, in order. */
  journal: JournalDraft[];
}

/** What a successful commit produced: the new version of each write, and the chained journal entries. */
export interface CommitResult {
  /** The new version of each write, in the order of `writes`. */
  versions: number[];
  /** The journal entries as appended, with their `seq` and hashes. */
  journal: JournalEntry[];
}

/** Which journal entries to read: those after a sequence number, optionally filtered. */
export interface JournalQuery {
  /** Exclusive lower bound on `seq`. */
  after?: number;
  /** The most entries to return. */
  limit?: number;
  /** Only entries about this environment. */
  environment?: string;
  /** Only entries about this deployment. */
  deploymentId?: string;
  /** Only entries by this actor. */
  actorId?: string;
}

/** What a store can do beyond the required methods; checked once at start-up. */
export interface StateStoreCapabilities {
  /** `watch` pushes a notification after every commit, including other processes' commits. */
  watch: boolean;
  /** `claim` leases records to one worker at a time, so that several workers share the work. */
  claim?: boolean;
  /** `rememberNonce` keeps used nonces durably until they expire, for every process sharing the store. */
  nonces?: boolean;
}

/**
 * A nonce to remember until it expires (see {@link StateStore.rememberNonce}). Times come from the
 * caller's clock, so that a store never needs one of its own.
 *
 * @example
 * ```ts
 * const fresh = await store.rememberNonce?.({ scope: 'agent:production/design', nonce, expiresAt, now: clock.now() });
 * ```
 */
export interface NonceClaim {
  /** A namespace: whose nonce this is (e.g. the audience and key id). At most 300 characters. */
  scope: string;
  /** At most 200 characters. */
  nonce: string;
  /** When the nonce may be forgotten: no request carrying it can be accepted after this. */
  expiresAt: Date;
  /** The caller's present time; entries whose `expiresAt` is at or before it are expired. */
  now: Date;
}

/**
 * A worker asking for (or renewing) leases on the records of a kind it works on. Leases only
 * spread the work: every write still carries the version it read, so a worker whose lease has
 * expired cannot overwrite another's progress (the version acts as a fencing token).
 *
 * @example
 * ```ts
 * const mine = await store.claim?.({ kind: 'environment', owner: workerId, leaseMs: 15_000, limit: 100 });
 * ```
 */
export interface ClaimRequest {
  /** The kind of the records to lease. */
  kind: RecordKind;
  /** The worker's unique id. */
  owner: string;
  /** How long the leases last unless the next claim renews them. */
  leaseMs: number;
  /** The most records to hold; `0` releases every lease the owner holds on the kind. */
  limit: number;
}

/** Removes a subscription. */
export type Unsubscribe = () => void;

/**
 * Durable state and the journal: the one thing every deployment needs. Implementations must make
 * `commit` atomic (all writes and journal entries, or none) and serialise journal appends so that
 * the hash chain is linear (use `chainJournal` from `@railyard/core/adapters`).
 *
 * @example
 * ```ts
 * const store: StateStore = memoryStateStore();
 * await store.commit({ writes: [{ kind: 'note', id: 'a', expectedVersion: null, value: { text: 'hi' } }], journal: [] });
 * ```
 */
export interface StateStore {
  /** What the store can do beyond the required methods. */
  readonly capabilities: StateStoreCapabilities;
  /** The record, or `null` when it does not exist. */
  get(kind: RecordKind, id: string): Promise<Versioned | null>;
  /** The records of a kind, by ascending id, a page at a time. */
  list(kind: RecordKind, query?: ListQuery): Promise<Page<Versioned>>;
  /** Applies every write and appends every journal entry, or throws and changes nothing. A stale `expectedVersion` throws `VersionConflictError`. */
  commit(tx: Transaction): Promise<CommitResult>;
  /** The journal entries after `query.after`, in `seq` order, filtered by the query. */
  readJournal(query?: JournalQuery): AsyncIterable<JournalEntry>;
  /** The last entry's sequence number and hash (`seq` 0 and the genesis hash when empty). Optional: without it the core reads the whole journal. */
  journalHead?(): Promise<{
    /** The last entry's sequence number. */
    seq: number;
    /** The last entry's hash. */
    hash: string;
  }>;
  /** Calls `listener` after each commit (present when `capabilities.watch`). */
  watch?(listener: () => void): Unsubscribe;
  /**
   * Renews the owner's leases and takes free or expired ones, up to a fair share among the
   * workers claiming; returns the ids the owner now holds (present when `capabilities.claim`).
   */
  claim?(request: ClaimRequest): Promise<string[]>;
  /**
   * Remembers a nonce until it expires: `true` when it was not known (or had expired), `false` when
   * it is a replay. Atomic across every process sharing the store, and durable across restarts;
   * expired nonces are pruned by the store (present when `capabilities.nonces`).
   */
  rememberNonce?(claim: NonceClaim): Promise<boolean>;
  /**
   * Optional: whether the store's schema is what this version of the adapter expects (for a
   * database, its migrations are applied). `railyard.readiness()` reports it.
   */
  schemaStatus?(): Promise<SchemaStatus>;
  /** Releases what the store holds (connections, locks, file handles); the store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * What {@link StateStore.schemaStatus} reports.
 *
 * @example
 * ```ts
 * const status: SchemaStatus = { current: false, applied: 3, expected: 4 };
 * ```
 */
export interface SchemaStatus {
  /** `applied === expected`: nothing to migrate. */
  current: boolean;
  /** The schema version (migrations) applied in the store. */
  applied: number;
  /** The version this adapter expects. */
  expected: number;
}
