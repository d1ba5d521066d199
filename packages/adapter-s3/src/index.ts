/**
 * A Railyard `BlobStore` on Amazon S3 and S3-compatible servers, and a `CheckpointSink` with Object Lock.
 * @packageDocumentation
 */

export { type S3CallSite, s3Error } from './classify-error.js';
export { s3BlobKey } from './keys.js';
export { type S3BlobStore, type S3BlobStoreOptions, s3BlobStore } from './s3-blob-store.js';
export { type S3CheckpointSink, type S3CheckpointSinkOptions, s3CheckpointSink } from './s3-checkpoint-sink.js';
