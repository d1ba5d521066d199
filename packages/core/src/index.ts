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
export type { ExportArchiveOptions } from './bundle/archive/export.js';
export {
  ARCHIVE_ENTRY,
  ARCHIVE_FORMAT,
  ArchiveHeader,
  blobEntryName,
  signatureEntryName,
} from './bundle/archive/format.js';
export type { ImportArchiveOptions } from './bundle/archive/import.js';
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
export type { BuildBundleInput } from './engine/commands/build-bundle.js';
export type { CreateBundleInput } from './engine/commands/bundles.js';
export type { ExplainInput, Explanation } from './engine/commands/explain.js';
export type { GcInput, GcResult } from './engine/commands/gc.js';
export type { EnvironmentHealth, HealthLevel, HealthPart } from './engine/commands/health.js';
export type { PlanInput, PromotionPlan } from './engine/commands/plan.js';
export type { GateResult } from './engine/commands/promotion-gates.js';
export type {
  ApproveInput,
  DecisionInput,
  HistoryInput,
  PromoteInput,
  ResumeInput,
  RollbackInput,
} from './engine/commands/schemas.js';
export type { SignBundleInput } from './engine/commands/signatures.js';
export { Silence, type SilenceInput } from './engine/commands/silences.js';
export {
  type EnvironmentStatusChange,
  RailyardEmitter,
  type RailyardEventName,
  type RailyardEvents,
  type VerificationResult,
} from './engine/events.js';
export type { RetryOptions } from './engine/guard.js';
export { createRailyard, type Railyard, type RailyardOptions, type SiteApi } from './engine/railyard.js';
export {
  type ActivationHook,
  defineStep,
  type Probe,
  type ProbeContext,
  type ProbeResult,
  type StepContext,
  type StepType,
} from './engine/registry.js';
export type { RemoteDeployment } from './engine/remote-deployment.js';
export type { JournalHead } from './journal/chain.js';
export { type JournalProblem, type JournalVerification, verifyJournal } from './journal/verify-journal.js';
export {
  defineMachine,
  type EventsFrom,
  type EventsOf,
  type Machine,
  type MachineConfig,
  type StateConfig,
  type StatesOf,
  type TargetOf,
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
export { type MonitorStatus, monitorMachine } from './machines/monitor-machine.js';
export { Actor, type ActorInput } from './model/actor.js';
export { BundleEntry, BundleManifest, BundleRecord, Provenance, Requirements } from './model/bundle.js';
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
export { BundleSignature, KeyId } from './model/signature.js';
export { MonitorDefinition, ScenarioDefinition, StepDefinition, Verification } from './model/verification.js';
export { classify, type HysteresisState, initialHysteresis, observe, type Reading } from './policy/hysteresis.js';
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
} from './scenarios/model.js';
export {
  type ConsoleNotifierOptions,
  consoleNotifier,
  type MemoryNotifier,
  memoryNotifier,
} from './scenarios/notifiers.js';
export { reportsFor, type ScenarioReport } from './scenarios/reporters.js';
export { RunScenarioInput } from './scenarios/run-command.js';
export {
  type ScenarioRunEvent,
  type ScenarioRunMachineConfig,
  scenarioRunMachine,
} from './scenarios/run-machine.js';
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
} from './scenarios/run-model.js';
export { nextScheduled, type ScheduleDecision, scheduleDecision } from './scenarios/schedule.js';
export type { ScenarioRegistrations, ScenariosApi } from './scenarios/service.js';
export type { ScenarioStatus } from './scenarios/status.js';
export { type ScenarioStepMachineConfig, scenarioStepMachine } from './scenarios/step-machine.js';
export {
  defineScenarioStep,
  type ScenarioPoll,
  type ScenarioStepContext,
  type ScenarioStepResult,
  type ScenarioStepType,
  type StepLogger,
} from './scenarios/step-types.js';
export {
  type RunFieldsFor,
  type RunTransitionContext,
  type ScenarioRunEffect,
  type ScenarioRunTransition,
  type ScenarioStepTransition,
  type StepFieldsFor,
  transitionRun,
  transitionStep,
} from './scenarios/transitions.js';
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
} from './scenarios/triggers-model.js';
