import { randomUUID } from 'node:crypto';
import { diffManifests, formatDiff } from '../bundle/diff.js';
import { verifyBundleBlobs } from '../bundle/verify-blobs.js';
import type { BlobSource, BlobStore } from '../contracts/blob-store.js';
import { type Clock, systemClock } from '../contracts/clock.js';
import { RailyardEmitter } from '../contracts/events.js';
import type { ActivationHook, Probe } from '../contracts/host.js';
import { type Logger, silentLogger } from '../contracts/logger.js';
import type { Notifier } from '../contracts/notifier.js';
import type { SecretResolver } from '../contracts/secrets.js';
import type { JournalQuery, StateStore } from '../contracts/state-store.js';
import type { StepType } from '../contracts/steps.js';
import type { TelemetryOptions } from '../contracts/telemetry.js';
import type { Transport } from '../contracts/transport.js';
import { createBundle, getBundle, listBundles, receiveBundle } from '../deployments/bundles/bundles.js';
import { type PushBundleOptions, pushBundle } from '../deployments/bundles/push-bundle.js';
import { bundleSignatures, receiveSignature, revokeKey, signBundle } from '../deployments/bundles/signatures.js';
import { defineEnvironment, getEnvironment, listEnvironments } from '../deployments/commands/environments.js';
import type { ExplainInput, Explanation } from '../deployments/commands/explain.js';
import { environmentHealth } from '../deployments/commands/health.js';
import { resume } from '../deployments/commands/operate.js';
import type { PlanInput, PromotionPlan } from '../deployments/commands/plan.js';
import { promote } from '../deployments/commands/promote.js';
import {
  activeSilences,
  type Silence,
  type SilenceInput,
  silenceMonitor,
  type UnsilenceInput,
  unsilenceMonitor,
} from '../deployments/commands/silences.js';
import { CapabilityError, NotFoundError, ValidationError } from '../errors/errors.js';
import type { JournalHead } from '../journal/chain.js';
import { type JournalVerification, verifyJournal } from '../journal/verify-journal.js';
import type { ActorInput } from '../model/actor.js';
import type { BundleRecord } from '../model/bundle.js';
import type { SignedCheckpoint } from '../model/checkpoint.js';
import {
  type ApproveInput,
  type DecisionInput,
  DeploymentId,
  type HistoryInput,
  type PromoteInput,
  type ResumeInput,
  type RollbackInput,
} from '../model/commands.js';
import type { Deployment } from '../model/deployment.js';
import type { EnvironmentRecord } from '../model/environment.js';
import type { EnvironmentHealth } from '../model/health.js';
import type { JournalEntry } from '../model/journal.js';
import { parseInput } from '../model/parse-input.js';
import { Digest, Slug } from '../model/primitives.js';
import type { RemoteDeployment } from '../model/remote-deployment.js';
import type { BundleSignature } from '../model/signature.js';
import type { EngineContext } from '../runtime/context.js';
import {
  defaultRetry,
  type GuardOptions,
  guardBlobStore,
  guardNotifier,
  guardStateStore,
  guardTransport,
  type RetryOptions,
} from '../runtime/guard.js';
import { HostWork } from '../runtime/host-work.js';
import { readDeployment } from '../runtime/records.js';
import { Telemetry } from '../runtime/telemetry.js';
import { createScenarios, type ScenarioRegistrations, type ScenariosApi } from '../scenarios/service.js';
import type { BundlesApi } from './bundles-api.js';
import { CheckpointExporter, type CheckpointOptions } from './checkpoints.js';
import { createDeploymentsApi, type DeploymentsApi } from './deployments-api.js';
import type { EnvironmentsApi } from './environments-api.js';
import { readGauges } from './gauges.js';
import type { HandoversApi } from './handovers-api.js';
import { logEvents } from './log-events.js';
import { type Readiness, readiness } from './readiness.js';
import { tracedCommands } from './traced-commands.js';
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
  /**
   * Step types by name: the one registry that scenario runs and verification runs use (the same as
   * `railyard.scenarios.registerStep`). Declare each with `defineStep` for typed params.
   */
  steps?: Record<string, StepType>;
  /** Monitor probes, by name. */
  probes?: Record<string, Probe>;
  /** Makes a snapshot live while a deployment is activating. */
  activate?: ActivationHook;
  /**
   * Reads the values of secret references (`{ secret: 'name' }` in an environment's variables or
   * connection remaps), only just before a step, probe or activation hook runs; the values reach
   * that code and nothing else (see docs/secrets.md). Without it, an environment that references a
   * secret cannot be defined.
   */
  secrets?: SecretResolver;
  /** Receive every lifecycle event after it is committed. */
  notifiers?: Notifier[];
  /**
   * How the core retries the failures adapters mark retryable, for every store, transport and
   * notifier call (adapters never retry on their own). Default 3 retries, 50 ms to 1 s apart.
   */
  retry?: Partial<RetryOptions>;
  /** How long the background worker sleeps when nothing is due (ms, default 1,000). */
  idleMs?: number;
  /**
   * How long work claimed by this engine (a scenario run, a running step, hook or probe)
   * stays claimed without renewal (ms, default 10 minutes): if this engine dies, another engine
   * runs the work again once the claim lapses.
   */
  leaseMs?: number;
  /**
   * How many pieces of host code (scenario step attempts, activation hooks, probes) this engine
   * runs at once (default 8). More wait for a slot; their deadlines keep running meanwhile. Host
   * code never runs inside a reconcile pass, so a slow one never delays another environment.
   */
  hostConcurrency?: number;
  /** How often remote deployments' status is polled (ms, default 5,000). */
  remotePollMs?: number;
  /** Scenario run conditions and poll functions, by name (see `railyard.scenarios`; step types go in `steps`). */
  scenarios?: ScenarioRegistrations;
  /**
   * Where the engine logs what an operator needs: worker start and stop, claims, every transition
   * (info), retries (warn) and adapter failures (error, with the cause). A pino logger fits as is.
   * Nothing is logged by default. See docs/observability.md.
   */
  logger?: Logger;
  /**
   * OpenTelemetry spans and metrics (`@opentelemetry/api`, an optional peer dependency). Off by
   * default; `{}` uses the globally registered providers. See docs/observability.md.
   */
  telemetry?: TelemetryOptions;
  /**
   * Sign journal checkpoints with an ed25519 key and export them on a schedule to a sink outside
   * the store; `journal.verify()` then checks the store against them (docs/operating.md).
   */
  checkpoints?: CheckpointOptions;
}

/**
 * Options of {@link Railyard.settle}.
 *
 * @example
 * ```ts
 * await railyard.settle({ waitForHostCode: false, maxSteps: 1_000 });
 * ```
 */
export interface SettleOptions {
  /** How many passes before giving up with a `SettleLimitError` (from `@railyard/core/errors`) (default 10,000). */
  maxSteps?: number;
  /**
   * Whether to wait for host code that is running (default `true`). With `false`, `settle()`
   * returns as soon as nothing else can progress, leaving steps, probes and hooks running; a
   * later `settle()` commits what they returned.
   */
  waitForHostCode?: boolean;
}

/** What one site offers another through a {@link Transport}: receive bundles, promote, report. */
export interface SiteApi {
  /** Of the given digests, those this site does not hold. */
  missingBlobs(digests: string[]): Promise<string[]>;
  /** Stores one blob pushed by another site, checking its digest and size. */
  putBlob(blob: { digest: string; size: number }, source: BlobSource): Promise<void>;
  /** Stores a manifest pushed by another site once all its blobs are here. */
  putBundle(manifest: unknown, by: ActorInput): Promise<BundleRecord>;
  /** Stores a signature pushed by another site, verified against this site's keys. */
  putSignature(signature: unknown, by: ActorInput): Promise<BundleSignature>;
  /** A promotion asked for by another site, under this site's policy. */
  promote(input: PromoteInput): Promise<Deployment>;
  /** A deployment of this site, or `null`. */
  getDeployment(id: string): Promise<Deployment | null>;
}

/**
 * An embedded Railyard: environments, bundles and deployments driven through their state machines,
 * persisted in the given stores. See {@link createRailyard}.
 *
 * @example
 * ```ts
 * const railyard: Railyard = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore() });
 * await railyard.environments.define({ id: 'production' });
 * const deployment = await railyard.deployments.promote({ bundle: bundle.id, to: 'production', by: alice });
 * await railyard.settle();
 * ```
 */
export interface Railyard {
  /**
   * Environments: define them in code, read them, their health, and resuming a halted one.
   *
   * @example
   * ```ts
   * await railyard.environments.define({ id: 'production', promotesFrom: ['staging'], policy: { approvals: { required: 1 } } });
   * const health = await railyard.environments.health('production');
   * ```
   */
  readonly environments: EnvironmentsApi;
  /**
   * Bundles: create, build, verify, diff, sign, export and import them, and collect garbage.
   *
   * @example
   * ```ts
   * const bundle = await railyard.bundles.build({ dir: './churn', version: '1.4.0', createdBy: designer });
   * console.log((await railyard.bundles.diff(null, bundle.id)).text);
   * ```
   */
  readonly bundles: BundlesApi;
  /**
   * Deployments: promote, approve, reject, cancel, abandon, roll back, and read them.
   *
   * @example
   * ```ts
   * const deployment = await railyard.deployments.promote({ bundle: bundle.id, to: 'production', by: alice });
   * await railyard.deployments.approve(deployment.id, { by: bob });
   * ```
   */
  readonly deployments: DeploymentsApi;
  /**
   * Handovers: an environment's owners accept a project's card before it runs there. See docs/handover.md.
   *
   * @example
   * ```ts
   * await railyard.handovers.accept({ environment: 'production', project: 'churn-model', cardDigest, by: itOps, comment: 'ok' });
   * ```
   */
  readonly handovers: HandoversApi;
  /**
   * Scenarios: definitions, triggers, runs and their history. See docs/scenarios.md.
   *
   * @example
   * ```ts
   * await railyard.scenarios.define({ id: 'nightly', steps: [{ type: 'refresh' }], triggers: [{ kind: 'schedule', cron: '0 2 * * *' }] }, { by: alice });
   * ```
   */
  readonly scenarios: ScenariosApi;
  /**
   * Monitors: silence one for a while, end a silence early, list the silences in force.
   *
   * @example
   * ```ts
   * await railyard.monitors.silence({ environment: 'production', monitor: 'latency', until, reason: 'load test', by: oncall });
   * ```
   */
  readonly monitors: {
    /**
     * Silences a monitor until an expiry: readings are recorded, nothing acts. Journaled.
     *
     * @example
     * ```ts
     * await railyard.monitors.silence({ environment: 'production', monitor: 'latency', until, reason: 'load test', by: oncall });
     * ```
     */
    silence(input: SilenceInput): Promise<Silence>;
    /**
     * Ends a monitor's silence now, before its `until`: the monitor acts again. Operators only;
     * journaled (`monitor.unsilenced`). Returns the silence that ended; `NOT_FOUND` when the
     * monitor is not silenced.
     *
     * @example
     * ```ts
     * await railyard.monitors.unsilence({ environment: 'production', monitor: 'latency', by: oncall, reason: 'load test over' });
     * ```
     */
    unsilence(input: UnsilenceInput): Promise<Silence>;
    /**
     * The silences in force in an environment, by monitor id.
     *
     * @example
     * ```ts
     * for (const silence of await railyard.monitors.silences('production')) console.log(silence.monitor, silence.until);
     * ```
     */
    silences(environment: string): Promise<Silence[]>;
  };
  /**
   * The hash-chained journal of every transition: read it, take its head as a checkpoint, verify it.
   *
   * @example
   * ```ts
   * for await (const entry of railyard.journal.read({ environment: 'production' })) console.log(entry.type);
   * ```
   */
  readonly journal: {
    /**
     * Journal entries in order, filtered by the query.
     *
     * @example
     * ```ts
     * for await (const entry of railyard.journal.read({ after: checkpoint.seq })) console.log(entry.seq, entry.type);
     * ```
     */
    read(query?: JournalQuery): AsyncIterable<JournalEntry>;
    /**
     * The last entry's sequence number and hash: export it as a checkpoint.
     *
     * @example
     * ```ts
     * const checkpoint = await railyard.journal.head();
     * ```
     */
    head(): Promise<JournalHead>;
    /**
     * Re-hashes the whole chain; with a checkpoint, also checks the journal still contains it. With
     * the `checkpoints` option and a sink that can list, also checks every signed checkpoint kept
     * outside the store: a checkpoint whose signature fails is `bad-checkpoint`, the first entry
     * whose hash differs from a checkpoint is `rewritten`, a journal shorter than the newest
     * checkpoint is `truncated`.
     *
     * @example
     * ```ts
     * const result = await railyard.journal.verify();
     * if (!result.ok) console.error(result.problem.kind, result.problem.seq, result.problem.message);
     * ```
     */
    verify(options?: { checkpoint?: JournalHead }): Promise<JournalVerification>;
    /**
     * Signs the journal's head (and the hashes of every entry since the last checkpoint) and puts
     * it to the configured sink now, besides the worker's schedule. `null` when nothing is new.
     * Throws `CapabilityError` without the `checkpoints` option.
     *
     * @example
     * ```ts
     * const checkpoint = await railyard.journal.checkpoint(); // { seq, hash, signature, … } or null
     * ```
     */
    checkpoint(): Promise<SignedCheckpoint | null>;
  };
  /**
   * Typed lifecycle events, emitted after each change is committed.
   *
   * @example
   * ```ts
   * const off = railyard.events.on('deployment.transition', ({ deployment, to }) => console.log(deployment.id, to));
   * ```
   */
  readonly events: RailyardEmitter;
  /**
   * Registers a monitor probe by name (or pass `probes` to {@link createRailyard}).
   *
   * @example
   * ```ts
   * railyard.registerProbe('error-rate', async () => ({ value: await errorRate() }));
   * ```
   */
  registerProbe(name: string, probe: Probe): void;
  /**
   * The API another site's transport calls (an HTTP agent serves it).
   *
   * @example
   * ```ts
   * const missing = await railyard.site.missingBlobs(manifest.entries.map((entry) => entry.digest));
   * ```
   */
  readonly site: SiteApi;
  /**
   * Advances every environment by one step.
   *
   * @example
   * ```ts
   * const { progressed, nextAt } = await railyard.tick();
   * ```
   */
  tick(): Promise<{
    /** Whether anything moved. */
    progressed: boolean;
    /** When the next timed work is due (epoch ms), if any. */
    nextAt?: number;
  }>;
  /**
   * Drives work until nothing can progress at the clock's current time (tests, scripts). It never
   * waits for the clock to reach a retry delay, a timeout or a wait: those are stored deadlines
   * that the next `settle()` after `clock.advance(ms)` finds due. By default it waits for host code
   * that is running (steps, probes, activation hooks) and commits what it returns; while it does,
   * a deadline the clock reaches ends that code as timed out. Throws `SettleLimitError` (from
   * `@railyard/core/errors`) when work is still progressing after `maxSteps` passes (default 10,000).
   *
   * @example
   * ```ts
   * await railyard.deployments.promote({ bundle: bundle.id, to: 'production', by });
   * await railyard.settle(); // host code included
   * await clock.advance(60_000); // a retry delay, a bake time, a timeout fall due
   * await railyard.settle();
   * await railyard.settle({ waitForHostCode: false }); // returns while a step is still running
   * ```
   */
  settle(options?: SettleOptions): Promise<void>;
  /**
   * Starts the background worker: it wakes on commits, on host code ending, and when work falls
   * due on the clock.
   *
   * @example
   * ```ts
   * railyard.start();
   * process.on('SIGTERM', () => railyard.close());
   * ```
   */
  start(): void;
  /**
   * Stops the background worker and waits for its current pass. Running host code is aborted (its
   * `signal` fires) and its claims are handed back; code that ignores its signal is not waited for
   * (it may go on in the background, and whatever it returns is ignored).
   *
   * @example
   * ```ts
   * await railyard.stop();
   * ```
   */
  stop(): Promise<void>;
  /**
   * Stops the worker (and any host code still running, as `stop()` does) and closes the stores.
   *
   * @example
   * ```ts
   * await railyard.close();
   * ```
   */
  close(): Promise<void>;
  /**
   * Whether this Railyard can serve: the state store and the blob store answer, and the store's
   * schema is current when the store can tell (PostgreSQL: migrations applied). Each store is
   * called once, without retries. The HTTP agent serves it at `/v1/health/ready`.
   *
   * @example
   * ```ts
   * const { ready, checks } = await railyard.readiness();
   * if (!ready) console.error(checks);
   * ```
   */
  readiness(): Promise<Readiness>;
  /**
   * The engine's metrics in the Prometheus text format (the same metrics as OpenTelemetry's; see
   * docs/observability.md). Counters and histograms count from when this Railyard was created;
   * gauges are read from the store now. The HTTP agent serves it at `/v1/metrics`.
   *
   * @example
   * ```ts
   * const text = await railyard.prometheusMetrics();
   * ```
   */
  prometheusMetrics(): Promise<string>;

  /**
   * @deprecated Use {@link DeploymentsApi.promote | railyard.deployments.promote}.
   *
   * @example
   * ```ts
   * await railyard.deployments.promote({ bundle: bundle.id, to: 'staging', by: alice }); // instead of railyard.promote(...)
   * ```
   */
  promote(input: PromoteInput): Promise<Deployment>;
  /**
   * @deprecated Use {@link DeploymentsApi.approve | railyard.deployments.approve}.
   *
   * @example
   * ```ts
   * await railyard.deployments.approve(deployment.id, { by: bob }); // instead of railyard.approve(...)
   * ```
   */
  approve(deploymentId: string, input: ApproveInput): Promise<Deployment>;
  /**
   * @deprecated Use {@link DeploymentsApi.reject | railyard.deployments.reject}.
   *
   * @example
   * ```ts
   * await railyard.deployments.reject(deployment.id, { by: bob, reason }); // instead of railyard.reject(...)
   * ```
   */
  reject(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  /**
   * @deprecated Use {@link DeploymentsApi.cancel | railyard.deployments.cancel}.
   *
   * @example
   * ```ts
   * await railyard.deployments.cancel(deployment.id, { by: alice }); // instead of railyard.cancel(...)
   * ```
   */
  cancel(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  /**
   * @deprecated Use {@link DeploymentsApi.abandon | railyard.deployments.abandon}.
   *
   * @example
   * ```ts
   * await railyard.deployments.abandon(deployment.id, { by: oncall, reason }); // instead of railyard.abandon(...)
   * ```
   */
  abandon(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  /**
   * @deprecated Use {@link DeploymentsApi.rollback | railyard.deployments.rollback}.
   *
   * @example
   * ```ts
   * await railyard.deployments.rollback('production', { by: oncall, reason }); // instead of railyard.rollback(...)
   * ```
   */
  rollback(environment: string, input: RollbackInput): Promise<Deployment>;
  /**
   * @deprecated Use {@link EnvironmentsApi.resume | railyard.environments.resume}.
   *
   * @example
   * ```ts
   * await railyard.environments.resume('production', { by: oncall }); // instead of railyard.resume(...)
   * ```
   */
  resume(environment: string, input: ResumeInput): Promise<EnvironmentRecord>;
  /**
   * @deprecated Use {@link EnvironmentsApi.health | railyard.environments.health}.
   *
   * @example
   * ```ts
   * await railyard.environments.health('production'); // instead of railyard.health(...)
   * ```
   */
  health(environment: string): Promise<EnvironmentHealth>;
  /**
   * @deprecated Use {@link DeploymentsApi.explain | railyard.deployments.explain}.
   *
   * @example
   * ```ts
   * await railyard.deployments.explain(deployment.id); // instead of railyard.explain(...)
   * ```
   */
  explain(target: ExplainInput): Promise<Explanation>;
  /**
   * @deprecated Use {@link DeploymentsApi.plan | railyard.deployments.plan}.
   *
   * @example
   * ```ts
   * await railyard.deployments.plan({ bundle: bundle.id, to: 'production' }); // instead of railyard.plan(...)
   * ```
   */
  plan(input: PlanInput): Promise<PromotionPlan>;
  /**
   * @deprecated Use {@link DeploymentsApi.get | railyard.deployments.get}.
   *
   * @example
   * ```ts
   * await railyard.deployments.get(id); // instead of railyard.deployment(id)
   * ```
   */
  deployment(id: string): Promise<Deployment | null>;
  /**
   * @deprecated Use {@link DeploymentsApi.history | railyard.deployments.history}.
   *
   * @example
   * ```ts
   * await railyard.deployments.history('production'); // instead of railyard.history(...)
   * ```
   */
  history(environment: string, options?: HistoryInput): Promise<Deployment[]>;
  /**
   * @deprecated Use {@link DeploymentsApi.remote | railyard.deployments.remote}.
   *
   * @example
   * ```ts
   * await railyard.deployments.remote('production'); // instead of railyard.remoteDeployments(...)
   * ```
   */
  remoteDeployments(environment: string): Promise<RemoteDeployment[]>;
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
  const logger = options.logger ?? silentLogger;
  const telemetry = new Telemetry(options.telemetry, logger);
  const guard: GuardOptions = { retry, logger, telemetry };
  if (options.scenarios && 'steps' in options.scenarios)
    throw new ValidationError(
      'createRailyard: the `scenarios.steps` option was removed; pass step types in the `steps` option (one registry for every run).',
    );
  if (options.secrets !== undefined && typeof options.secrets?.resolve !== 'function')
    throw new ValidationError('createRailyard: `secrets` must be an object with a resolve(name, context) function.');
  const steps = new Map<string, StepType>();
  const probes = new Map<string, Probe>(Object.entries(options.probes ?? {}));
  const events = new RailyardEmitter();
  const context: EngineContext = {
    store: guardStateStore(options.store, guard),
    blobs: guardBlobStore(options.blobs, guard),
    clock: options.clock ?? systemClock,
    events,
    steps,
    probes,
    activate: options.activate,
    secrets: options.secrets,
    transport: options.transport && guardTransport(options.transport, guard),
    notifiers: (options.notifiers ?? []).map((notifier) => guardNotifier(notifier, guard)),
    host: new HostWork({ concurrency: options.hostConcurrency ?? 8, telemetry, logger }),
    logger,
    telemetry,
    engineId: randomUUID(),
    leaseMs: options.leaseMs ?? 10 * 60_000,
    remotePollMs: options.remotePollMs ?? 5_000,
    remotePolls: new Map(),
    refusals: new Map(),
    bundles: new Map(),
  };
  telemetry.setGauges(() => readGauges(context));
  if (options.logger) logEvents(events, options.logger);
  // Commands get spans only when telemetry is asked for: otherwise the facade is not wrapped at all.
  const traced = <T extends object>(namespace: string, api: T): T =>
    options.telemetry ? tracedCommands(telemetry, namespace, api) : api;
  const checkpoints = options.checkpoints && new CheckpointExporter(context.store, context.clock, options.checkpoints);
  const worker = new Worker(context, { idleMs: options.idleMs ?? 1_000, checkpoints });
  const scenarios = createScenarios(
    context,
    { ...options.scenarios, steps: options.steps ?? {} },
    { health: (environment) => environmentHealth(context, environment) },
  );
  const register = <T>(registry: Map<string, T>, what: string, name: string, value: T) => {
    if (typeof name !== 'string' || name.length === 0) throw new ValidationError(`${what}: a name is required.`);
    if (registry.has(name)) throw new ValidationError(`${what}: "${name}" is already registered.`);
    registry.set(name, value);
  };

  const deployments = traced('deployments', createDeploymentsApi(context));
  const environments: EnvironmentsApi = traced('environments', {
    define: (definition, defineOptions) => defineEnvironment(context, definition, defineOptions),
    get: (id) => getEnvironment(context, id),
    list: () => listEnvironments(context),
    health: (environment) => environmentHealth(context, environment),
    resume: (environment, input) => resume(context, environment, input),
  });

  return {
    environments,
    deployments,
    // Code that only some hosts use (handovers, building, finding and collecting bundles) is
    // loaded on first use, to keep what an app loads at start-up small (scripts/size-check.mjs).
    handovers: traced<HandoversApi>('handovers', {
      accept: async (input) => (await import('../deployments/handovers/accept.js')).acceptHandover(context, input),
      withdraw: async (input) =>
        (await import('../deployments/handovers/withdraw.js')).withdrawHandover(context, input),
      get: async (ref) => (await import('../deployments/handovers/queries.js')).getHandover(context, ref),
      list: async (filter) => (await import('../deployments/handovers/queries.js')).listHandovers(context, filter),
      history: async (ref) => (await import('../deployments/handovers/queries.js')).handoverHistory(context, ref),
    }),
    bundles: traced<BundlesApi>('bundles', {
      create: (input) => createBundle(context, input),
      get: (id) => getBundle(context, id),
      find: async (ref) => (await import('../deployments/bundles/find-bundle.js')).findBundle(context, ref),
      list: (query) => listBundles(context, query),
      build: async (input) => (await import('../deployments/bundles/build-bundle.js')).buildBundle(context, input),
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
      gc: async (input) => (await import('../deployments/bundles/gc.js')).collectGarbage(context, input),
      sign: (id, input) => signBundle(context, id, input),
      signatures: (id) => bundleSignatures(context, parseInput(Digest, id, 'bundles.signatures')),
      revokeKey: (keyId, input) => revokeKey(context, keyId, input),
      // The archive code (and tar-stream) is loaded on first use: most apps never export or import one.
      export: async (id, exportOptions) =>
        (await import('../deployments/bundles/archive-export.js')).exportArchive(context, id, exportOptions),
      import: async (source, importOptions) =>
        (await import('../deployments/bundles/archive-import.js')).importArchive(context, source, importOptions),
      push: (id: string, pushOptions: PushBundleOptions) =>
        pushBundle(context, id, { ...pushOptions, transport: guardTransport(pushOptions?.transport, guard) }),
    }),
    monitors: traced('monitors', {
      silence: (input: SilenceInput) => silenceMonitor(context, input),
      unsilence: (input: UnsilenceInput) => unsilenceMonitor(context, input),
      silences: async (environment: string) => [
        ...(await activeSilences(context, parseInput(Slug, environment, 'monitors.silences'))).values(),
      ],
    }),
    // Deprecated aliases of the namespaced methods, kept so existing code keeps working.
    promote: deployments.promote,
    approve: deployments.approve,
    reject: deployments.reject,
    cancel: deployments.cancel,
    abandon: deployments.abandon,
    rollback: deployments.rollback,
    resume: environments.resume,
    health: environments.health,
    explain: deployments.explain,
    plan: deployments.plan,
    deployment: deployments.get,
    history: deployments.history,
    remoteDeployments: deployments.remote,
    journal: {
      read: (query) => context.store.readJournal(query),
      async head() {
        if (context.store.journalHead) return context.store.journalHead();
        let head: JournalHead = { seq: 0, hash: '0'.repeat(64) };
        for await (const entry of context.store.readJournal({})) head = { seq: entry.seq, hash: entry.hash };
        return head;
      },
      verify: (verifyOptions = {}) => {
        const list = checkpoints?.sink.list?.bind(checkpoints.sink);
        return verifyJournal(context.store.readJournal({}), {
          ...verifyOptions,
          ...(checkpoints && list ? { signed: { checkpoints: list(), publicKey: checkpoints.publicKey } } : {}),
        });
      },
      async checkpoint() {
        if (!checkpoints) {
          throw new CapabilityError(
            'checkpoints',
            'journal.checkpoint() needs the checkpoints option of createRailyard (a sink and an ed25519 key pair).',
          );
        }
        return checkpoints.exportNow();
      },
    },
    events,
    scenarios,
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
      putBundle: (manifest, by) => receiveBundle(context, manifest, by, { pushed: true }),
      putSignature: (signature, by) => receiveSignature(context, signature, by),
      promote: (input) => promote(context, input),
      getDeployment: async (id) =>
        (await readDeployment(context, parseInput(DeploymentId, id, 'deployment')))?.value ?? null,
    },
    readiness: () => readiness(context, options),
    prometheusMetrics: () => telemetry.prometheus(),
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
