/**
 * The contracts adapter authors implement, and the built-in memory and file adapters.
 * @packageDocumentation
 */

export { checkDigest } from './adapters/blob-digest.js';
export { digestStream } from './adapters/digest-stream.js';
export {
  type DirectoryCheckpointSink,
  type DirectoryCheckpointSinkOptions,
  directoryCheckpointSink,
} from './adapters/directory-checkpoint-sink.js';
export {
  type FileBlobStore,
  type FileBlobStoreOptions,
  fileBlobStore,
} from './adapters/file-blob-store.js';
export {
  type FileStateStore,
  type FileStateStoreOptions,
  fileStateStore,
  openFileStateStore,
} from './adapters/file-state-store.js';
export { IN_FLIGHT_DEPLOYMENT_STATUSES } from './adapters/in-flight.js';
export { memoryBlobStore } from './adapters/memory-blob-store.js';
export {
  type MemoryStateStore,
  type MemoryStateStoreOptions,
  memoryStateStore,
} from './adapters/memory-state-store.js';
export { pushProgress } from './adapters/push-progress.js';
export {
  type FileStoreProblem,
  type FileStoreVerification,
  verifyFileStore,
} from './adapters/verify-file-store.js';
export { canonicalJson, sha256Hex } from './bundle/canonical-json.js';
export type { BlobInfo, BlobSource, BlobStore, PutOptions } from './contracts/blob-store.js';
export type { CheckpointSink } from './contracts/checkpoint-sink.js';
export { type Clock, systemClock } from './contracts/clock.js';
export type { Notification, NotifiedEventName, Notifier } from './contracts/notifier.js';
export type { PushProgress } from './contracts/progress.js';
export type {
  ClaimRequest,
  CommitResult,
  JournalQuery,
  ListQuery,
  NonceClaim,
  Page,
  RecordKind,
  RecordWrite,
  SchemaStatus,
  StateStore,
  StateStoreCapabilities,
  Transaction,
  Unsubscribe,
  Versioned,
} from './contracts/state-store.js';
export type { RemotePromoteRequest, Transport } from './contracts/transport.js';
export { type AdapterFailure, adapterError } from './errors/adapter-error.js';
export { chainJournal, GENESIS_HASH, hashJournalEntry, type JournalHead } from './journal/chain.js';
export { IN_FLIGHT_STATES } from './machines/deployment-machine.js';
export type { SignedCheckpoint } from './model/checkpoint.js';
export type { JournalDraft, JournalEntry } from './model/journal.js';
