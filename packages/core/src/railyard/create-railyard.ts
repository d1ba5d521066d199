import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { ArchiveSource } from '../bundle/archive/tar-reader.js';
import { type BundleDiff, diffManifests, formatDiff } from '../bundle/diff.js';
import { type BundleVerification, verifyBundleBlobs } from '../bundle/verify-blobs.js';
import type { BlobSource, BlobStore } from '../contracts/blob-store.js';
import { type Clock, systemClock } from '../contracts/clock.js';
import { RailyardEmitter } from '../contracts/events.js';
import type { ActivationHook, Probe, StepType } from '../contracts/host.js';
import type { Notifier } from '../contracts/notifier.js';
import type { JournalQuery, StateStore } from '../contracts/state-store.js';
import type { Transport } from '../contracts/transport.js';
import { type ExportArchiveOptions, exportArchive } from '../deployments/bundles/archive-export.js';
import { type ImportArchiveOptions, importArchive } from '../deployments/bundles/archive-import.js';
import { type BuildBundleInput, buildBundle } from '../deployments/bundles/build-bundle.js';
import {
  type CreateBundleInput,
  createBundle,
  getBundle,
  listBundles,
  receiveBundle,
} from '../deployments/bundles/bundles.js';
import { collectGarbage, type GcInput, type GcResult } from '../deployments/bundles/gc.js';
import {
  bundleSignatures,
  receiveSignature,
  type SignBundleInput,
  signBundle,
} from '../deployments/bundles/signatures.js';
import { approve, reject } from '../deployments/commands/decide.js';
import { defineEnvironment, getEnvironment, listEnvironments } from '../deployments/commands/environments.js';
import { type ExplainInput, type Explanation, explain } from '../deployments/commands/explain.js';
import { environmentHealth } from '../deployments/commands/health.js';
import { abandon, cancel, resume } from '../deployments/commands/operate.js';
import { type PlanInput, type PromotionPlan, plan } from '../deployments/commands/plan.js';
import { promote } from '../deployments/commands/promote.js';
import { rollback } from '../deployments/commands/rollback.js';
import { activeSilences, type Silence, type SilenceInput, silenceMonitor } from '../deployments/commands/silences.js';
import { CapabilityError, NotFoundError, ValidationError } from '../errors/errors.js';
import type { JournalHead } from '../journal/chain.js';
import { type JournalVerification, verifyJournal } from '../journal/verify-journal.js';
import type { ActorInput } from '../model/actor.js';
import type { BundleRecord } from '../model/bundle.js';
import {
  type ApproveInput,
  type DecisionInput,
  DeploymentId,
  HistoryInput,
  type HistoryInput as HistoryInputType,
  type PromoteInput,
  type ResumeInput,
  type RollbackInput,
} from '../model/commands.js';
import type { Deployment } from '../model/deployment.js';
import { Deployment as DeploymentSchema } from '../model/deployment.js';
import type { EnvironmentDefinitionInput, EnvironmentRecord } from '../model/environment.js';
import type { EnvironmentHealth } from '../model/health.js';
import type { JournalEntry } from '../model/journal.js';
import { parseInput } from '../model/parse-input.js';
import { Digest, Slug } from '../model/primitives.js';
import { RemoteDeployment } from '../model/remote-deployment.js';
import type { BundleSignature } from '../model/signature.js';
import type { EngineContext } from '../runtime/context.js';
import {
  defaultRetry,
  guardBlobStore,
  guardNotifier,
  guardStateStore,
  guardTransport,
  type RetryOptions,
} from '../runtime/guard.js';
import { KIND, listAll, readDeployment } from '../runtime/records.js';
import { createScenarios, type ScenarioRegistrations, type ScenariosApi } from '../scenarios/service.js';
import { Worker } from './worker.js';

/** Options of {@link createRailyard}. */
export interface RailyardOptions {
  /** Durable state and the journal. */
  store: StateStore;
  /** Bundle bytes. */
  blobs: BlobStore;
  /** Defaults to the wall clock; pass a fake clock in tests. */
  clock?: Clock;
  /** Reaches the site that owns remote environments. */
  transport?: Transport;
  /** Step types for verification scenarios, by name. */
  steps?: Record<string, StepType>;
  /** Monitor probes, by name. */
  probes?: Record<string, Probe>;
  /** Makes a snapshot live while a deployment is activating. */
  activate?: ActivationHook;
  /** Receive every lifecycle event after it is committed. */
  notifiers?: Notifier[];
  /**
   * How the core retries the failures adapters mark retryable, for every store, transport and
   * notifier call (adapters never retry on their own). Default 3 retries, 50 ms to 1 s apart.
   */
  retry?: Partial<RetryOptions>;
  /** How long the background worker sleeps when nothing is due (ms, default 1,000). */
  idleMs?: number;
  /** How long a verification scenario stays claimed by one engine (ms, default 10 minutes). */
  leaseMs?: number;
  /** How often remote deployments' status is polled (ms, default 5,000). */
  remotePollMs?: number;
  /** Scenario step types, run conditions and poll functions, by name (see `railyard.scenarios`). */
  scenarios?: ScenarioRegistrations;
}

/** What one site offers another through a {@link Transport}: receive bundles, promote, report. */
export interface SiteApi {
  missingBlobs(digests: string[]): Promise<string[]>;
  putBlob(blob: { digest: string; size: number }, source: BlobSource): Promise<void>;
  putBundle(manifest: unknown, by: ActorInput): Promise<BundleRecord>;
  putSignature(signature: unknown, by: ActorInput): Promise<BundleSignature>;
  promote(input: PromoteInput): Promise<Deployment>;
  getDeployment(id: string): Promise<Deployment | null>;
}

/**
 * An embedded Railyard: environments, bundles and deployments driven through their state machines,
 * persisted in the given stores. See {@link createRailyard}.
 */
export interface Railyard {
  readonly environments: {
    define(definition: EnvironmentDefinitionInput, options?: { by?: ActorInput }): Promise<EnvironmentRecord>;
    get(id: string): Promise<EnvironmentRecord | null>;
    list(): Promise<EnvironmentRecord[]>;
  };
  readonly bundles: {
    create(input: CreateBundleInput): Promise<BundleRecord>;
    get(id: string): Promise<BundleRecord | null>;
    list(query?: { project?: string }): Promise<BundleRecord[]>;
    /** Builds a bundle from a project directory with a `railyard.project.json`. */
    build(input: BuildBundleInput): Promise<BundleRecord>;
    /** Re-reads every blob of a bundle and checks digests and sizes. */
    verify(id: string): Promise<BundleVerification>;
    /** What differs between two bundles (`from` may be `null`), as data and text. */
    diff(from: string | null, to: string): Promise<BundleDiff & { text: string }>;
    /** Removes bundles and blobs no environment needs any more. */
    gc(input: GcInput): Promise<GcResult>;
    /** Signs a bundle with an ed25519 key (the key is used, never stored). */
    sign(id: string, input: SignBundleInput): Promise<BundleSignature>;
    /** The signatures recorded for a bundle. */
    signatures(id: string): Promise<BundleSignature[]>;
    /**
     * Writes a bundle, its signatures and its blobs as one tar archive (for air-gapped sites).
     * Missing blobs are reported before the stream starts. See docs/archives.md.
     */
    export(id: string, options?: ExportArchiveOptions): Promise<Readable>;
    /**
     * Imports a bundle archive: streamed, bounded, verified (signatures before the manifest is
     * parsed, every blob by digest and size) before anything is stored. See docs/archives.md.
     */
    import(source: ArchiveSource, options: ImportArchiveOptions): Promise<BundleRecord>;
  };
  /** Every gate with its state, and for a deployment what it is waiting for now. */
  explain(target: ExplainInput): Promise<Explanation>;
  /** A dry run of a promotion: diff, resolved settings, and every gate with its state. */
  plan(input: PlanInput): Promise<PromotionPlan>;
  /** Requests a promotion of a bundle into an environment. */
  promote(input: PromoteInput): Promise<Deployment>;
  approve(deploymentId: string, input: ApproveInput): Promise<Deployment>;
  reject(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  cancel(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  abandon(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  rollback(environment: string, input: RollbackInput): Promise<Deployment>;
  resume(environment: string, input: ResumeInput): Promise<EnvironmentRecord>;
  /** An environment's health: deployment, execution and monitor status, and the worst of them, with reasons. */
  health(environment: string): Promise<EnvironmentHealth>;
  /** Scenarios: definitions, triggers, runs and their history. See docs/scenarios.md. */
  readonly scenarios: ScenariosApi;
  readonly monitors: {
    /** Silences a monitor until an expiry: readings are recorded, nothing acts. Journaled. */
    silence(input: SilenceInput): Promise<Silence>;
    /** The silences in force in an environment, by monitor id. */
    silences(environment: string): Promise<Silence[]>;
  };
  /** A deployment, or `null`. */
  deployment(id: string): Promise<Deployment | null>;
  /** An environment's deployments, newest first. */
  history(environment: string, options?: HistoryInputType): Promise<Deployment[]>;
  /** Deployments this site asked other sites for, with their last known status. */
  remoteDeployments(environment: string): Promise<RemoteDeployment[]>;
  readonly journal: {
    read(query?: JournalQuery): AsyncIterable<JournalEntry>;
    /** The last entry's sequence number and hash: export it as a checkpoint. */
    head(): Promise<JournalHead>;
    verify(options?: { checkpoint?: JournalHead }): Promise<JournalVerification>;
  };
  readonly events: RailyardEmitter;
  registerStep<TSchema extends z.ZodType>(name: string, step: StepType<TSchema>): void;
  registerProbe(name: string, probe: Probe): void;
  /** The API another site's transport calls. */
  readonly site: SiteApi;
  /** Advances every environment by one step. */
  tick(): Promise<{ progressed: boolean; nextAt?: number }>;
  /** Drives work until nothing can progress at the clock's current time (tests, scripts). */
  settle(options?: { maxSteps?: number }): Promise<void>;
  /** Starts the background worker. */
  start(): void;
  /** Stops the background worker and waits for its current step. */
  stop(): Promise<void>;
  /** Stops the worker and closes the stores. */
  close(): Promise<void>;
}

/**
 * Creates an embedded Railyard on the given stores. Capabilities are checked here, once.
 *
 * @example
 * ```ts
 * const railyard = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore(), clock });
 * await railyard.environments.define({ id: 'design' });
 * const bundle = await railyard.bundles.create({ project: 'churn', version: '1.0.0', entries, createdBy: designer });
 * await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
 * await railyard.settle();
 * ```
 */
export function createRailyard(options: RailyardOptions): Railyard {
  if (!options?.store || !options.blobs) {
    throw new CapabilityError(
      'store',
      'createRailyard needs { store, blobs }: for example fileStateStore and fileBlobStore, or the memory ones in tests.',
    );
  }
  for (const method of ['get', 'list', 'commit', 'readJournal', 'close'] as const) {
    if (typeof options.store[method] !== 'function')
      throw new CapabilityError('store', `The state store lacks ${method}(); it does not implement StateStore.`);
  }
  for (const method of ['put', 'get', 'has', 'stat', 'delete'] as const) {
    if (typeof options.blobs[method] !== 'function')
      throw new CapabilityError('blobs', `The blob store lacks ${method}(); it does not implement BlobStore.`);
  }
  const retry = { ...defaultRetry, ...options.retry };
  const steps = new Map<string, StepType>(Object.entries(options.steps ?? {}));
  const probes = new Map<string, Probe>(Object.entries(options.probes ?? {}));
  const events = new RailyardEmitter();
  const context: EngineContext = {
    store: guardStateStore(options.store, retry),
    blobs: guardBlobStore(options.blobs, retry),
    clock: options.clock ?? systemClock,
    events,
    steps,
    probes,
    activate: options.activate,
    transport: options.transport && guardTransport(options.transport, retry),
    notifiers: (options.notifiers ?? []).map((notifier) => guardNotifier(notifier, retry)),
    engineId: randomUUID(),
    leaseMs: options.leaseMs ?? 10 * 60_000,
    remotePollMs: options.remotePollMs ?? 5_000,
    remotePolls: new Map(),
    bundles: new Map(),
  };
  const worker = new Worker(context, { idleMs: options.idleMs ?? 1_000 });
  const scenarios = createScenarios(context, options.scenarios, {
    health: (environment) => environmentHealth(context, environment),
  });
  const register = <T>(registry: Map<string, T>, what: string, name: string, value: T) => {
    if (typeof name !== 'string' || name.length === 0) throw new ValidationError(`${what}: a name is required.`);
    if (registry.has(name)) throw new ValidationError(`${what}: "${name}" is already registered.`);
    registry.set(name, value);
  };

  return {
    environments: {
      define: (definition, defineOptions) => defineEnvironment(context, definition, defineOptions),
      get: (id) => getEnvironment(context, id),
      list: () => listEnvironments(context),
    },
    bundles: {
      create: (input) => createBundle(context, input),
      get: (id) => getBundle(context, id),
      list: (query) => listBundles(context, query),
      build: (input) => buildBundle(context, input),
      async verify(id) {
        const bundle = await getBundle(context, id);
        if (!bundle) throw new NotFoundError('bundle', id);
        return verifyBundleBlobs(context.blobs, bundle.manifest);
      },
      async diff(from, to) {
        const [a, b] = await Promise.all([from === null ? null : getBundle(context, from), getBundle(context, to)]);
        if (from !== null && !a) throw new NotFoundError('bundle', from);
        if (!b) throw new NotFoundError('bundle', to);
        const diff = diffManifests(a?.manifest ?? null, b.manifest);
        return { ...diff, text: formatDiff(diff) };
      },
      gc: (input) => collectGarbage(context, input),
      sign: (id, input) => signBundle(context, id, input),
      signatures: (id) => bundleSignatures(context, parseInput(Digest, id, 'bundles.signatures')),
      export: (id, exportOptions) => exportArchive(context, id, exportOptions),
      import: (source, importOptions) => importArchive(context, source, importOptions),
    },
    plan: (input) => plan(context, input),
    explain: (target) => explain(context, target),
    promote: (input) => promote(context, input),
    approve: (id, input) => approve(context, id, input),
    reject: (id, input) => reject(context, id, input),
    cancel: (id, input) => cancel(context, id, input),
    abandon: (id, input) => abandon(context, id, input),
    rollback: (environment, input) => rollback(context, environment, input),
    resume: (environment, input) => resume(context, environment, input),
    health: (environment) => environmentHealth(context, environment),
    monitors: {
      silence: (input) => silenceMonitor(context, input),
      silences: async (environment) => [
        ...(await activeSilences(context, parseInput(Slug, environment, 'monitors.silences'))).values(),
      ],
    },
    deployment: async (id) =>
      (await readDeployment(context, parseInput(DeploymentId, id, 'deployment')))?.value ?? null,
    async history(environment, historyOptions = {}) {
      const envId = parseInput(Slug, environment, 'history environment');
      const { limit } = parseInput(HistoryInput, historyOptions, 'history');
      const rows = await listAll(context, KIND.deployment, DeploymentSchema, `${envId}/`);
      return rows
        .map((row) => row.value)
        .reverse()
        .slice(0, limit);
    },
    async remoteDeployments(environment) {
      const envId = parseInput(Slug, environment, 'remoteDeployments environment');
      return (await listAll(context, KIND.remoteDeployment, RemoteDeployment, `${envId}/`)).map((row) => row.value);
    },
    journal: {
      read: (query) => context.store.readJournal(query),
      async head() {
        if (context.store.journalHead) return context.store.journalHead();
        let head: JournalHead = { seq: 0, hash: '0'.repeat(64) };
        for await (const entry of context.store.readJournal({})) head = { seq: entry.seq, hash: entry.hash };
        return head;
      },
      verify: (verifyOptions) => verifyJournal(context.store.readJournal({}), verifyOptions),
    },
    events,
    scenarios,
    registerStep: (name, step) => register(steps, 'registerStep', name, step as unknown as StepType),
    registerProbe: (name, probe) => register(probes, 'registerProbe', name, probe),
    site: {
      async missingBlobs(digests) {
        const missing: string[] = [];
        for (const digest of digests) if (!(await context.blobs.has(digest))) missing.push(digest);
        return missing;
      },
      async putBlob(blob, source) {
        await context.blobs.put(source, blob);
      },
      putBundle: (manifest, by) => receiveBundle(context, manifest, by),
      putSignature: (signature, by) => receiveSignature(context, signature, by),
      promote: (input) => promote(context, input),
      getDeployment: async (id) =>
        (await readDeployment(context, parseInput(DeploymentId, id, 'deployment')))?.value ?? null,
    },
    tick: () => worker.tick(),
    settle: (settleOptions) => worker.settle(settleOptions),
    start: () => worker.start(),
    stop: () => worker.stop(),
    async close() {
      await worker.stop();
      await options.store.close();
      await options.blobs.close?.();
    },
  };
}
