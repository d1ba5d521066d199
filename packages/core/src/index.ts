/**
 * Railyard: move data and ML projects from design to production as immutable bundles, through
 * environments with approvals, verification, monitoring and rollback.
 * @packageDocumentation
 */
export { fileBlobStore } from './adapters/file-blob-store.js';
export { fileStateStore } from './adapters/file-state-store.js';
export { memoryBlobStore } from './adapters/memory-blob-store.js';
export { memoryStateStore } from './adapters/memory-state-store.js';
export { memoryTransport } from './adapters/memory-transport.js';
export {
  ARCHIVE_ENTRY,
  ARCHIVE_FORMAT,
  ArchiveHeader,
  blobEntryName,
  signatureEntryName,
} from './bundle/archive/format.js';
export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './bundle/archive/limits.js';
export type { ArchiveSource } from './bundle/archive/tar-reader.js';
export { bundleId } from './bundle/bundle-id.js';
export { canonicalJson } from './bundle/canonical-json.js';
export { DESCRIPTOR_FILE, EntryKind, ProjectDescriptor } from './bundle/descriptor.js';
export { type BundleDiff, type ChangedEntry, diffManifests, formatDiff, type ListChange } from './bundle/diff.js';
export { globToRegExp } from './bundle/glob.js';
export {
  countValidSignatures,
  type PrivateKeyInput,
  type PublicKeyInput,
  signBundleId,
  verifyBundleSignature,
} from './bundle/signatures.js';
export { type BundleVerification, type EntryProblem, verifyBundleBlobs } from './bundle/verify-blobs.js';
export { type Clock, systemClock } from './contracts/clock.js';
export {
  type EnvironmentStatusChange,
  RailyardEmitter,
  type RailyardEventName,
  type RailyardEvents,
  type ScenarioReport,
  type VerificationResult,
} from './contracts/events.js';
export type { ActivationHook, Probe, ProbeContext, ProbeResult } from './contracts/host.js';
export type { ScenarioPoll } from './contracts/polls.js';
export {
  defineStep,
  type ScenarioStepResult,
  type StepContext,
  type StepLogger,
  type StepType,
} from './contracts/steps.js';
export type { ExportArchiveOptions } from './deployments/bundles/archive-export.js';
export type { ImportArchiveOptions } from './deployments/bundles/archive-import.js';
export type { BuildBundleInput } from './deployments/bundles/build-bundle.js';
export type { CreateBundleInput } from './deployments/bundles/bundles.js';
export type { GcInput, GcResult } from './deployments/bundles/gc.js';
export type { SignBundleInput } from './deployments/bundles/signatures.js';
export type { ExplainInput, Explanation } from './deployments/commands/explain.js';
export type { PlanInput, PromotionPlan } from './deployments/commands/plan.js';
export type { GateResult } from './deployments/commands/promotion-gates.js';
export { Silence, type SilenceInput } from './deployments/commands/silences.js';
export type { JournalHead } from './journal/chain.js';
export { type JournalProblem, type JournalVerification, verifyJournal } from './journal/verify-journal.js';
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
export {
  type DeploymentMachineConfig,
  deploymentMachine,
  IN_FLIGHT_STATES,
  QUEUED_STATES,
} from './machines/deployment-machine.js';
export {
  type DeploymentEffect,
  type DeploymentEvent,
  type DeploymentTransition,
  type FieldsFor,
  type TransitionContext,
  transitionDeployment,
} from './machines/deployment-transition.js';
export { type EnvironmentMachineConfig, environmentMachine } from './machines/environment-machine.js';
export {
  type EnvironmentChange,
  type EnvironmentEffect,
  type EnvironmentEvent,
  type EnvironmentIn,
  type EnvironmentTransition,
  transitionEnvironment,
} from './machines/environment-transition.js';
export { type MonitorStatus, monitorMachine } from './machines/monitor-machine.js';
export {
  type ScenarioRunEvent,
  type ScenarioRunMachineConfig,
  scenarioRunMachine,
} from './machines/scenario-run-machine.js';
export { type ScenarioStepMachineConfig, scenarioStepMachine } from './machines/scenario-step-machine.js';
export {
  type RunFieldsFor,
  type RunTransitionContext,
  type ScenarioRunEffect,
  type ScenarioRunTransition,
  type ScenarioStepTransition,
  type StepFieldsFor,
  transitionRun,
  transitionStep,
} from './machines/scenario-transitions.js';
export { Actor, type ActorInput } from './model/actor.js';
export { BundleEntry, BundleManifest, BundleRecord, Provenance, Requirements } from './model/bundle.js';
export type {
  ApproveInput,
  DecisionInput,
  HistoryInput,
  PromoteInput,
  ResumeInput,
  RollbackInput,
} from './model/commands.js';
export {
  Approval,
  Decision,
  Deployment,
  type DeploymentIn,
  type DeploymentStatus,
  Failure,
  MonitorProgress,
  ScenarioProgress,
  VerificationProgress,
} from './model/deployment.js';
export {
  ActiveRef,
  EnvironmentDefinition,
  type EnvironmentDefinitionInput,
  EnvironmentRecord,
  EnvironmentStatus,
  Snapshot,
} from './model/environment.js';
export type { EnvironmentHealth, HealthLevel, HealthPart } from './model/health.js';
export { JournalDraft, JournalEntry } from './model/journal.js';
export {
  Deadlines,
  defaultDeadlines,
  FreezeWindow,
  Policy,
  type PolicyInput,
  RecurringFreeze,
} from './model/policy.js';
export { Digest } from './model/primitives.js';
export type { RemoteDeployment } from './model/remote-deployment.js';
export {
  ConcurrencyPolicy,
  OutcomeSoFar,
  RunCondition,
  Scenario,
  type ScenarioInput,
  ScenarioRecord,
  ScenarioReporter,
  type ScenarioReporterInput,
  ScenarioStep,
  type ScenarioStepInput,
} from './model/scenario.js';
export {
  AbortRequest,
  AttemptReport,
  LogEntry,
  ScenarioRun,
  type ScenarioRunIn,
  type ScenarioRunStatus,
  StepError,
  StepReport,
  type StepReportIn,
  type StepStatus,
  TriggerFire,
} from './model/scenario-run.js';
export {
  AfterScenarioTrigger,
  DeploymentTrigger,
  EventTrigger,
  LifecycleState,
  PollTrigger,
  RunOutcome,
  ScenarioTrigger,
  type ScenarioTriggerInput,
  ScheduleTrigger,
} from './model/scenario-trigger.js';
export { BundleSignature, KeyId } from './model/signature.js';
export { MonitorDefinition, ScenarioDefinition, StepDefinition, Verification } from './model/verification.js';
export { classify, type HysteresisState, initialHysteresis, observe, type Reading } from './policy/hysteresis.js';
export {
  createRailyard,
  type Railyard,
  type RailyardOptions,
  type SettleOptions,
  type SiteApi,
} from './railyard/create-railyard.js';
export type { RetryOptions } from './runtime/guard.js';
export { AbortRunInput } from './scenarios/abort.js';
export { BUILTIN_STEPS } from './scenarios/builtins.js';
export {
  conditionHolds,
  outcomeSoFar,
  type RunSoFar,
  type RunView,
  type ScenarioCondition,
} from './scenarios/conditions.js';
export type { DefineScenarioOptions } from './scenarios/define.js';
export { RunQuery } from './scenarios/history.js';
export {
  type ConsoleNotifierOptions,
  consoleNotifier,
  type MemoryNotifier,
  memoryNotifier,
} from './scenarios/notifiers.js';
export { reportsFor } from './scenarios/reporters.js';
export { RunScenarioInput } from './scenarios/run-command.js';
export { nextScheduled, type ScheduleDecision, scheduleDecision } from './scenarios/schedule.js';
export type { ScenarioRegistrations, ScenariosApi } from './scenarios/service.js';
export type { ScenarioStatus } from './scenarios/status.js';
