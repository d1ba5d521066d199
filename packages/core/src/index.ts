/**
 * Railyard: move data and ML projects from design to production as immutable bundles, through
 * environments with approvals, verification, monitoring and rollback.
 *
 * This entry lists what an application needs: {@link createRailyard} and its options, the built-in
 * memory and file adapters, the helpers a host calls (steps, notifiers, signing), the machines
 * (to draw or inspect them) and the named types of every record the API returns. Adapter
 * contracts are in `@railyard/core/adapters`, errors in `@railyard/core/errors`, the test kit in
 * `@railyard/core/testing`.
 * @packageDocumentation
 */

// Built-in adapters an application or a test starts with.
export { fileBlobStore } from './adapters/file-blob-store.js';
export { fileStateStore } from './adapters/file-state-store.js';
export { memoryBlobStore } from './adapters/memory-blob-store.js';
export { memoryStateStore } from './adapters/memory-state-store.js';
export { type MemoryTransportOptions, memoryTransport } from './adapters/memory-transport.js';
// Bundles: ids, signatures, archives.
export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './bundle/archive/limits.js';
export type { ArchiveSource } from './bundle/archive/tar-reader.js';
export { bundleId } from './bundle/bundle-id.js';
export type { ProjectDescriptor } from './bundle/descriptor.js';
export type {
  BundleDiff,
  BundleSide,
  ChangedEntry,
  EntryContent,
  FromTo,
  ListChange,
  RequirementsChange,
  ScenariosChange,
} from './bundle/diff.js';
export {
  type PrivateKeyInput,
  type PublicKeyInput,
  signBundleId,
  verifyBundleSignature,
} from './bundle/signatures.js';
export type { BundleVerification, EntryProblem } from './bundle/verify-blobs.js';
export { type Clock, systemClock } from './contracts/clock.js';
// Events.
export type {
  EnvironmentStatusChange,
  EnvironmentWarning,
  HandoverNotice,
  RailyardEmitter,
  RailyardEventName,
  RailyardEvents,
  ScenarioReport,
  VerificationResult,
} from './contracts/events.js';
// Host code: steps, probes, activation hooks, polls.
export type { ActivationHook, DeploymentRef, Probe, ProbeContext, ProbeResult } from './contracts/host.js';
export type { Logger } from './contracts/logger.js';
export type { ScenarioPoll } from './contracts/polls.js';
export type { OnProgress, Progress, PushProgress } from './contracts/progress.js';
export type { SecretContext, SecretResolver } from './contracts/secrets.js';
export {
  defineStep,
  type ScenarioStepResult,
  type StepContext,
  type StepLogger,
  type StepType,
} from './contracts/steps.js';
export type { TelemetryOptions } from './contracts/telemetry.js';
// Inputs and results of the facade's methods.
export type { ExportArchiveOptions } from './deployments/bundles/archive-export.js';
export type { ImportArchiveOptions } from './deployments/bundles/archive-import.js';
export type { BuildBundleInput } from './deployments/bundles/build-bundle.js';
export type { CreateBundleInput } from './deployments/bundles/bundles.js';
export type { GcInput, GcResult } from './deployments/bundles/gc.js';
export type { PushBundleOptions, PushResult } from './deployments/bundles/push-bundle.js';
export type { RevokeKeyInput, SignBundleInput } from './deployments/bundles/signatures.js';
export type { ExplainInput, Explanation } from './deployments/commands/explain.js';
export type { PlanInput, PromotionPlan } from './deployments/commands/plan.js';
export type { GateResult } from './deployments/commands/promotion-gates.js';
export type { SettingChange } from './deployments/commands/settings-diff.js';
export type { Silence, SilenceInput, UnsilenceInput } from './deployments/commands/silences.js';
export type { AcceptHandoverInput } from './deployments/handovers/accept.js';
export type { HandoverHistoryEntry, HandoverRef } from './deployments/handovers/queries.js';
export type { WithdrawHandoverInput } from './deployments/handovers/withdraw.js';
export type { JournalHead } from './journal/chain.js';
// The journal.
export { formatTimeline, type TimelineOptions } from './journal/format-timeline.js';
export {
  type JournalProblem,
  type JournalVerification,
  type VerifyJournalOptions,
  verifyJournal,
} from './journal/verify-journal.js';
// Machines: every lifecycle is a table; draw one with toMermaid.
export {
  defineMachine,
  type EventsFrom,
  type EventsOf,
  type GuardsOf,
  type Machine,
  type MachineConfig,
  type StateConfig,
  type StatesOf,
  type TargetOf,
  type TransitionConfig,
} from './machine/define-machine.js';
export { toMermaid } from './machine/to-mermaid.js';
export { type DeploymentMachineConfig, deploymentMachine } from './machines/deployment-machine.js';
export type { DeploymentEvent, DeploymentTransition } from './machines/deployment-transition.js';
export { type EnvironmentMachineConfig, environmentMachine } from './machines/environment-machine.js';
export type { EnvironmentEvent } from './machines/environment-transition.js';
export { type MonitorMachineConfig, type MonitorStatus, monitorMachine } from './machines/monitor-machine.js';
export {
  type ScenarioRunEvent,
  type ScenarioRunMachineConfig,
  scenarioRunMachine,
} from './machines/scenario-run-machine.js';
export { type ScenarioStepMachineConfig, scenarioStepMachine } from './machines/scenario-step-machine.js';
export type { ScenarioRunTransition, ScenarioStepTransition } from './machines/scenario-transitions.js';
export { type ActorInput, normalizeActorId } from './model/actor.js';
export type { BundleEntry, BundleManifest, BundleRecord, Provenance, Requirements } from './model/bundle-types.js';
export type { SignedCheckpoint } from './model/checkpoint.js';
export type {
  ApproveInput,
  DecisionInput,
  HistoryInput,
  PromoteInput,
  ResumeInput,
  RollbackInput,
} from './model/commands.js';
export type { DeploymentIn, DeploymentStatus } from './model/deployment.js';
export type {
  ActivatedDeployment,
  ActivatingDeployment,
  ActiveDeployment,
  Approval,
  CancelledDeployment,
  Decision,
  Deployment,
  DeploymentBase,
  DeploymentWatch,
  FailedDeployment,
  Failure,
  MonitorProgress,
  QueuedDeployment,
  RejectedDeployment,
  RolledBackDeployment,
  RollingBackDeployment,
  ScenarioProgress,
  StartedDeployment,
  SupersededDeployment,
  VerificationProgress,
  VerifyingDeployment,
} from './model/deployment-types.js';
export type { EnvironmentDefinitionInput, EnvironmentRecord } from './model/environment.js';
export type {
  ActiveRef,
  Actor,
  EnvironmentDefinition,
  EnvironmentStatus,
  ResolvedSnapshot,
  SecretRef,
  SettingValue,
  Snapshot,
} from './model/environment-types.js';
export type { Handover, HandoverAccepted, HandoverWithdrawn } from './model/handover.js';
export type { EnvironmentHealth, HealthLevel, HealthPart } from './model/health.js';
export type { JournalDraft, JournalEntry } from './model/journal-types.js';
export type { PolicyInput } from './model/policy.js';
export type { Deadlines, FreezeWindow, Policy, RecurringFreeze } from './model/policy-types.js';
export type { Digest } from './model/primitives.js';
export type { CardOwner, CardSection, ProjectCard } from './model/project-card.js';
// Records and command inputs, as named types; the schemas a host parses with.
export {
  BundleManifestSchema,
  BundleSignatureSchema,
  DeploymentSchema,
  EnvironmentRecordSchema,
  JournalEntrySchema,
} from './model/public-schemas.js';
export type { RemoteDeployment } from './model/remote-deployment-types.js';
export type { ScenarioRunIn, ScenarioRunStatus, StepReportIn, StepStatus } from './model/scenario-run.js';
export type {
  AbortedRun,
  AbortRequest,
  AttemptReport,
  FailedStep,
  FinishedRun,
  LogEntry,
  PendingStep,
  QueuedRun,
  RetryingStep,
  RunningRun,
  RunningStep,
  ScenarioRun,
  ScenarioRunBase,
  SkippedStep,
  StepError,
  StepReport,
  StepReportBase,
  SucceededStep,
  TriggerFire,
} from './model/scenario-run-types.js';
export type {
  AfterScenarioTrigger,
  ConcurrencyPolicy,
  DeploymentTrigger,
  EventTrigger,
  LifecycleState,
  OutcomeSoFar,
  ParsedScheduleTrigger,
  PollTrigger,
  RunCondition,
  RunOutcome,
  Scenario,
  ScenarioInput,
  ScenarioRecord,
  ScenarioReporter,
  ScenarioReporterInput,
  ScenarioStep,
  ScenarioStepInput,
  ScenarioTrigger,
  ScenarioTriggerInput,
  ScheduleTrigger,
} from './model/scenario-types.js';
export type { KeyId } from './model/signature.js';
export type { BundleSignature, RevokedKey } from './model/signature-types.js';
export type { HostSchema, HostSchemaOutput } from './model/standard-schema.js';
export type {
  MonitorDefinition,
  ScenarioDefinition,
  StepDefinition,
  Verification,
} from './model/verification-types.js';
export type { CardChange } from './policy/handover.js';
export type { BundlesApi } from './railyard/bundles-api.js';
export type { CheckpointOptions } from './railyard/checkpoints.js';
// The composition root.
export {
  createRailyard,
  type Railyard,
  type RailyardOptions,
  type SettleOptions,
  type SiteApi,
} from './railyard/create-railyard.js';
export type { DeploymentsApi } from './railyard/deployments-api.js';
export type { EnvironmentsApi } from './railyard/environments-api.js';
export type { HandoversApi } from './railyard/handovers-api.js';
export type { Readiness, ReadinessCheck } from './railyard/readiness.js';
export type { RetryOptions } from './runtime/guard.js';
export type { AbortRunInput } from './scenarios/abort.js';
export type { RunSoFar, RunView, ScenarioCondition } from './scenarios/conditions.js';
export type { DefineScenarioOptions } from './scenarios/define.js';
export type { RunQuery } from './scenarios/history.js';
export {
  type ConsoleNotifierOptions,
  consoleNotifier,
  type MemoryNotifier,
  memoryNotifier,
} from './scenarios/notifiers.js';
export type { RunScenarioInput } from './scenarios/run-command.js';
export type { ScenarioRegistrations, ScenariosApi } from './scenarios/service.js';
export type { ScenarioStatus } from './scenarios/status.js';
